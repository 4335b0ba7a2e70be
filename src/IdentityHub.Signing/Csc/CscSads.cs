using System.Security.Cryptography;
using IdentityHub.Data;
using IdentityHub.Data.Signing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace IdentityHub.Signing.Csc;

/// <summary>
/// The SAD of credentials/authorize (CSC §11.6): an opaque handle for one activated signature activation, base64url of
/// the activation id and 32 random bytes. Only SHA-256 of the random part is stored, so neither the database nor the
/// audit log (which names the activation) holds a usable SAD; it is never logged. The SAD adds possession to the
/// activation's own bindings (citizen, key, hashes, once, until it expires), which <see cref="Activation.SignatureGate"/>
/// enforces.
/// </summary>
internal sealed class CscSads(HubDbContext db)
{
    private const int SecretBytes = 32;

    /// <summary>Issues the SAD of an activation that was just activated for <paramref name="accountId"/>.</summary>
    public async Task<string> IssueAsync(Guid activationId, Guid accountId, CancellationToken ct)
    {
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        try
        {
            var hash = SHA256.HashData(secret);
            var set = await db.SignatureActivations
                .Where(a => a.Id == activationId && a.AccountId == accountId && a.State == SignatureActivationStates.Activated && a.SadHash == null)
                .ExecuteUpdateAsync(u => u.SetProperty(a => a.SadHash, hash), ct);
            if (set != 1)
            {
                throw new InvalidOperationException("The activation the SAD is for is not this citizen's freshly activated one.");
            }

            return WebEncoders.Base64UrlEncode([.. activationId.ToByteArray(bigEndian: true), .. secret]);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>The activation a SAD stands for, when the SAD is well formed and its secret is the stored one for this citizen.</summary>
    public async Task<Guid?> ActivationOfAsync(string? sad, Guid accountId, CancellationToken ct)
    {
        byte[] raw;
        try
        {
            raw = WebEncoders.Base64UrlDecode(sad ?? "");
        }
        catch (FormatException)
        {
            return null;
        }

        if (raw.Length != 16 + SecretBytes)
        {
            return null;
        }

        var activationId = new Guid(raw.AsSpan(0, 16), bigEndian: true);
        var presented = SHA256.HashData(raw.AsSpan(16));
        CryptographicOperations.ZeroMemory(raw);
        var stored = await db.SignatureActivations.AsNoTracking()
            .Where(a => a.Id == activationId && a.AccountId == accountId).Select(a => a.SadHash).FirstOrDefaultAsync(ct);
        return stored is not null && CryptographicOperations.FixedTimeEquals(stored, presented) ? activationId : null;
    }
}
