using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Math;

namespace IdentityHub.Pki;

/// <summary>What goes into one certificate; <see cref="CertificateBuilder"/> turns it into signed DER.</summary>
internal sealed record CertificateTemplate
{
    public required X509Name Subject { get; init; }

    public required SubjectPublicKeyInfo PublicKey { get; init; }

    public required BigInteger Serial { get; init; }

    public required DateTime NotBefore { get; init; }

    public required DateTime NotAfter { get; init; }

    public bool IsCa { get; init; }

    public int? PathLength { get; init; }

    public required KeyUsage KeyUsage { get; init; }

    public IReadOnlyList<string> ExtendedKeyUsage { get; init; } = [];

    public bool ExtendedKeyUsageCritical { get; init; }

    public bool OcspNoCheck { get; init; }

    public IReadOnlyList<string> Policies { get; init; } = [];

    /// <summary>Absolute URLs for the CRL distribution point and AIA; null for the self-signed root.</summary>
    public RevocationPointers? Pointers { get; init; }

    /// <summary>Further extensions a profile adds (e.g. ETSI QCStatements for qualified certificates).</summary>
    public IReadOnlyList<(DerObjectIdentifier Oid, bool Critical, Asn1Encodable Value)> AdditionalExtensions { get; init; } = [];
}

internal sealed record RevocationPointers(string CrlUrl, string OcspUrl, string CaIssuersUrl);
