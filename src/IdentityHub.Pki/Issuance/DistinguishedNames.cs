using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.Pki;

/// <summary>Subject names in the order ETSI EN 319 412-3 (legal persons) shows: C, O, organizationIdentifier, CN.</summary>
internal static class DistinguishedNames
{
    /// <summary>organizationIdentifier (ITU-T X.520 / ETSI EN 319 412-1 §5.1.4).</summary>
    public static readonly DerObjectIdentifier OrganizationIdentifier = new("2.5.4.97");

    public static X509Name ForOrganisationUnit(string country, string organization, string? organizationIdentifier, string commonName)
    {
        var oids = new List<DerObjectIdentifier> { X509Name.C, X509Name.O };
        var values = new List<string> { country, organization };
        if (!string.IsNullOrEmpty(organizationIdentifier))
        {
            oids.Add(OrganizationIdentifier);
            values.Add(organizationIdentifier);
        }

        oids.Add(X509Name.CN);
        values.Add(commonName);
        return new X509Name(oids, values);
    }
}
