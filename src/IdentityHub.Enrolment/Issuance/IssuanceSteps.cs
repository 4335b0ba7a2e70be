namespace IdentityHub.Enrolment.Issuance;

/// <summary>The steps of issuing an eID, in order; everything after <see cref="KeysGenerated"/> runs in one transaction.</summary>
public enum IssuanceStep
{
    KeysGenerated,
    CertificatesIssued,
    EidRecorded,
}

/// <summary>
/// Observes issuance between its steps. The default does nothing; tests register one that throws to prove that a failure
/// between key generation and certificate issuance (or later) leaves no half-issued eID.
/// </summary>
public interface IIssuanceObserver
{
    ValueTask StepCompletedAsync(IssuanceStep step, CancellationToken cancellationToken);
}

internal sealed class NoIssuanceObserver : IIssuanceObserver
{
    public ValueTask StepCompletedAsync(IssuanceStep step, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}
