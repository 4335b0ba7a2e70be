using IdentityHub.Signing.Revocation;

namespace IdentityHub.Signing.Tests.Validation;

/// <summary>A hand-written fake: tests without a hub have no hub CA, so the assessor must never ask for hub revocation data.</summary>
internal sealed class NoRevocationSource : IRevocationSource
{
    public Task<RevocationData> CollectAsync(IReadOnlyList<byte[]> path, CancellationToken cancellationToken) =>
        throw new InvalidOperationException("no hub CA issued anything in this test");
}
