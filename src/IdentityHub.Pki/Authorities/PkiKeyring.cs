using IdentityHub.Core.Keys;
using IdentityHub.Data;
using IdentityHub.Hsm;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Org.BouncyCastle.X509;

namespace IdentityHub.Pki.Authorities;

/// <summary>
/// The CAs and service credentials, read from PostgreSQL and bound to their HSM keys, kept in memory for
/// <see cref="PkiOptions.KeyringRefresh"/>. Nodes are stateless: every node rebuilds this from the database.
/// </summary>
public sealed class PkiKeyring(IServiceScopeFactory scopes, IKeyStore keyStore, TimeProvider time, IOptions<PkiOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _loadLock = new(1, 1);
    private volatile KeyringSnapshot? _snapshot;

    internal async ValueTask<KeyringSnapshot> GetAsync(CancellationToken cancellationToken)
    {
        var current = _snapshot;
        if (current is not null && time.GetUtcNow() - current.LoadedAt < options.Value.KeyringRefresh)
        {
            return current;
        }

        await _loadLock.WaitAsync(cancellationToken);
        try
        {
            current = _snapshot;
            if (current is not null && time.GetUtcNow() - current.LoadedAt < options.Value.KeyringRefresh)
            {
                return current;
            }

            current = await LoadAsync(cancellationToken);
            _snapshot = current;
            return current;
        }
        finally
        {
            _loadLock.Release();
        }
    }

    /// <summary>Forgets the cached CAs, so the next use re-reads them (after `pki init`).</summary>
    public void Invalidate() => _snapshot = null;

    /// <summary>
    /// A service credential's HSM key and certificate (e.g. "protocol-signing", which signs OIDC tokens and SAML
    /// assertions); throws <see cref="PkiNotInitialisedException"/> when `hubctl pki init` has not made it.
    /// </summary>
    public async Task<ServiceSigningKey> ServiceKeyAsync(string purpose, CancellationToken cancellationToken)
    {
        var credential = (await GetAsync(cancellationToken)).Credential(purpose);
        return new ServiceSigningKey(credential.Purpose, credential.Key, credential.Certificate.GetEncoded());
    }

    /// <summary>
    /// The certificates (DER) of a hub CA and its issuers up to the self-signed root, that CA first: what a signature
    /// embeds so that a verifier can build the path (RFC 5652 §5.1 certificates, ETSI EN 319 142-1 §5.4 /DSS).
    /// </summary>
    public async Task<IReadOnlyList<byte[]>> ChainAsync(string caName, CancellationToken cancellationToken)
    {
        var snapshot = await GetAsync(cancellationToken);
        var chain = new List<byte[]>();
        for (Authority? current = snapshot.Authority(caName); current is not null;)
        {
            chain.Add(current.Certificate.GetEncoded());
            if (current.Certificate.IssuerDN.Equivalent(current.Certificate.SubjectDN))
            {
                break;
            }

            current = snapshot.Authorities.Values.FirstOrDefault(a => a.Certificate.SubjectDN.Equivalent(current.Certificate.IssuerDN));
        }

        return chain;
    }

    /// <summary>Every hub CA by name (as in pki/hierarchy.json) with its certificate in DER.</summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> AuthoritiesAsync(CancellationToken cancellationToken) =>
        (await GetAsync(cancellationToken)).Authorities.ToDictionary(a => a.Key, a => a.Value.Certificate.GetEncoded(), StringComparer.Ordinal);

    /// <summary>The hub's self-signed root certificates (DER): the trust anchors of its own signatures.</summary>
    public async Task<IReadOnlyList<byte[]>> RootsAsync(CancellationToken cancellationToken) =>
        [.. (await GetAsync(cancellationToken)).Authorities.Values
            .Where(a => a.Certificate.IssuerDN.Equivalent(a.Certificate.SubjectDN))
            .Select(a => a.Certificate.GetEncoded())];

    /// <summary>A service credential's certificate chain (DER), its own certificate first and the root last (e.g. "tsa").</summary>
    public async Task<IReadOnlyList<byte[]>> ServiceChainAsync(string purpose, CancellationToken cancellationToken) =>
        [.. (await GetAsync(cancellationToken)).Credential(purpose).Chain.Select(c => c.GetEncoded())];

    public void Dispose() => _loadLock.Dispose();

    private async Task<KeyringSnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HubDbContext>();
        var cas = await db.CertificateAuthorities.AsNoTracking().ToListAsync(cancellationToken);
        var credentials = await db.ServiceCredentials.AsNoTracking().ToListAsync(cancellationToken);

        var caCerts = cas.ToDictionary(c => c.Name, c => new X509Certificate(c.CertificateDer), StringComparer.Ordinal);
        var chains = cas.ToDictionary(c => c.Name, c => ChainOf(c.Name, cas, caCerts), StringComparer.Ordinal);

        var creds = new Dictionary<string, SigningCredential>(StringComparer.Ordinal);
        foreach (var c in credentials)
        {
            var key = keyStore.Require(c.KeyId, $"service credential '{c.Purpose}'");
            var cert = new X509Certificate(c.CertificateDer);
            creds[c.Purpose] = new SigningCredential(c.Purpose, cert, key, key.ToSignatureFactory(), [cert, .. chains[c.IssuerName]]);
        }

        var authorities = new Dictionary<string, Authority>(StringComparer.Ordinal);
        foreach (var ca in cas)
        {
            var key = keyStore.Require(ca.KeyId, $"CA '{ca.Name}'");
            creds.TryGetValue(OcspPurpose(ca.Name), out var responder);
            authorities[ca.Name] = new Authority(ca.Name, caCerts[ca.Name], key, key.ToSignatureFactory(), responder);
        }

        return new KeyringSnapshot(authorities, creds, time.GetUtcNow());
    }

    internal static string OcspPurpose(string caName) => "ocsp:" + caName;

    private static X509Certificate[] ChainOf(string name, IReadOnlyList<Data.Pki.CertificateAuthorityRecord> cas, Dictionary<string, X509Certificate> certs)
    {
        var chain = new List<X509Certificate>();
        for (var current = cas.FirstOrDefault(c => c.Name == name); current is not null; current = cas.FirstOrDefault(c => c.Name == current.IssuerName))
        {
            chain.Add(certs[current.Name]);
            if (current.IssuerName is null)
            {
                break;
            }
        }

        return [.. chain];
    }
}

internal sealed record KeyringSnapshot(
    IReadOnlyDictionary<string, Authority> Authorities,
    IReadOnlyDictionary<string, SigningCredential> Credentials,
    DateTimeOffset LoadedAt)
{
    public Authority Authority(string name) =>
        Authorities.TryGetValue(name, out var a) ? a : throw new PkiNotInitialisedException($"CA '{name}' does not exist yet: run `hubctl pki init`.");

    public SigningCredential Credential(string purpose) =>
        Credentials.TryGetValue(purpose, out var c) ? c : throw new PkiNotInitialisedException($"Service credential '{purpose}' does not exist yet: run `hubctl pki init`.");
}

/// <summary>A key the hub signs with for a service (its certificate in DER), without the CA plumbing.</summary>
public sealed record ServiceSigningKey(string Purpose, ISigningKey Key, byte[] CertificateDer);
