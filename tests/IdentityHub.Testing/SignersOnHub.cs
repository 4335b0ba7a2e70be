using IdentityHub.Data;
using IdentityHub.Signing.Signers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace IdentityHub.Testing;

/// <summary>A citizen with an issued eID whose qualified signature key the tests sign with directly (format tests, below the activation gate).</summary>
public sealed record CitizenSigner(CitizenLetter Letter, Guid PersonId, CitizenSignatureCredential Credential, SignerIdentity Identity);

public static class SignersOnHub
{
    /// <summary>Issues a citizen an eID and opens its signature key, as the signing service does after an activation.</summary>
    public static async Task<CitizenSigner> IssueSignerAsync(this HubFixture hub, string givenNames = "Mari")
    {
        ArgumentNullException.ThrowIfNull(hub);
        var letter = await hub.IssueCitizenAsync(givenNames);
        await using var scope = hub.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var personId = await db.Persons.Where(p => p.NationalId == letter.NationalId).Select(p => p.Id).SingleAsync();
        var signers = scope.ServiceProvider.GetRequiredService<CitizenSigners>();
        var credential = await signers.FindAsync(personId, CancellationToken.None)
            ?? throw new InvalidOperationException("the issued eID has no signature credential");
        return new CitizenSigner(letter, personId, credential, await signers.OpenAsync(credential, CancellationToken.None));
    }
}
