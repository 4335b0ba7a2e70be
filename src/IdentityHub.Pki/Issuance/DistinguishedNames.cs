using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.X509;

namespace IdentityHub.Pki;

/// <summary>Subject names of the hub's certificates: organisations (ETSI EN 319 412-3) and natural persons (EN 319 412-2).</summary>
public static class DistinguishedNames
{
    /// <summary>organizationIdentifier (ITU-T X.520 / ETSI EN 319 412-1 §5.1.4).</summary>
    public static readonly DerObjectIdentifier OrganizationIdentifier = new("2.5.4.97");

    internal static X509Name ForOrganisationUnit(string country, string organization, string? organizationIdentifier, string commonName)
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

    /// <summary>
    /// A natural person (ETSI EN 319 412-2 §4.2.4): C, GN, SN, serialNumber in the semantics-identifier form
    /// PNO{country}-{national id} (EN 319 412-1 §5.1.3) and CN "SURNAME,GIVEN NAMES" (the Estonian ID-card form, which
    /// sorts by surname). Every value is a UTF8String (RFC 5280 §4.1.2.6), so names keep their diacritics; serialNumber
    /// and C are PrintableString as X.520 requires.
    /// </summary>
    public static X509Name ForNaturalPerson(string country, string givenName, string surname, string nationalId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(givenName);
        ArgumentException.ThrowIfNullOrWhiteSpace(surname);
        ArgumentException.ThrowIfNullOrWhiteSpace(nationalId);
        ArgumentException.ThrowIfNullOrWhiteSpace(country);
        var oids = new List<DerObjectIdentifier> { X509Name.C, X509Name.GivenName, X509Name.Surname, X509Name.SerialNumber, X509Name.CN };
        var values = new List<string>
        {
            country,
            givenName,
            surname,
            $"PNO{country}-{nationalId}",
            CommonName(surname, givenName),
        };
        return new X509Name(oids, values, new Utf8NameConverter());
    }

    /// <summary>RFC 5280 ub-common-name is 64 characters: a longer name is cut at a whole character (the full names stay in GN and SN).</summary>
    private static string CommonName(string surname, string givenName)
    {
        var full = $"{surname.ToUpperInvariant()},{givenName.ToUpperInvariant()}";
        var elements = System.Globalization.StringInfo.GetTextElementEnumerator(full);
        var builder = new System.Text.StringBuilder(64);
        while (elements.MoveNext() && builder.Length + elements.GetTextElement().Length <= 64)
        {
            builder.Append(elements.GetTextElement());
        }

        return builder.ToString();
    }

    /// <summary>UTF8String for names, PrintableString where X.520 asks for it (C, serialNumber).</summary>
    private sealed class Utf8NameConverter : X509NameEntryConverter
    {
        public override Asn1Object GetConvertedValue(DerObjectIdentifier oid, string value) =>
            oid.Equals(X509Name.C) || oid.Equals(X509Name.SerialNumber)
                ? new DerPrintableString(value, validate: true)
                : new DerUtf8String(value);
    }
}
