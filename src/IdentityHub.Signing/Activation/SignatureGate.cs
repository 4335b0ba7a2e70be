using IdentityHub.Signing.Signers;

namespace IdentityHub.Signing.Activation;

/// <summary>The signer, when the activation was consumed for exactly the hashes; otherwise why not.</summary>
public sealed record GateOutcome(ConsumeRefusal Refusal, SignerIdentity? Signer, CitizenSignatureCredential? Credential)
{
    public bool Succeeded => Refusal == ConsumeRefusal.None && Signer is not null;
}

/// <summary>
/// The one way from a signing request to a citizen's key (CEN EN 419 241-1 SCAL2: the signature activation module
/// releases the key only for data the signer activated): it consumes the activation for exactly the hashes about to be
/// signed, for the citizen's current signature key, and only then opens the key. Format signers (PAdES, XAdES, CAdES,
/// ASiC) and the CSC API are reached through here.
/// </summary>
public sealed class SignatureGate(SignatureActivations activations, CitizenSigners signers)
{
    public async Task<GateOutcome> OpenAsync(Guid activationId, Guid accountId, IReadOnlyList<byte[]> hashes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(hashes);
        (CitizenSignatureCredential Credential, string UserName)? found;
        using (SigningTelemetry.Start("signing.gate.find"))
        {
            found = await signers.FindForAccountAsync(accountId, ct);
        }

        if (found is not var (credential, userName))
        {
            return new GateOutcome(ConsumeRefusal.NoCredential, null, null);
        }

        ConsumeOutcome consumed;
        using (SigningTelemetry.Start("signing.gate.consume"))
        {
            consumed = await activations.ConsumeAsync(activationId, accountId, credential.KeyId, hashes, userName, ct);
        }

        if (!consumed.Succeeded)
        {
            return new GateOutcome(consumed.Refusal, null, credential);
        }

        using (SigningTelemetry.Start("signing.gate.unwrap"))
        {
            return new GateOutcome(ConsumeRefusal.None, await signers.OpenAsync(credential, ct), credential);
        }
    }
}
