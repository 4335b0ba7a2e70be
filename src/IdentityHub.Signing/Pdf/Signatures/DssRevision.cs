using System.Security.Cryptography;
using IdentityHub.Signing.Pdf.Structure;
using IdentityHub.Signing.Pdf.Syntax;
using IdentityHub.Signing.Pdf.Update;

namespace IdentityHub.Signing.Pdf.Signatures;

/// <summary>Validation material for the document security store: DER certificates, OCSP responses and CRLs.</summary>
internal sealed record DssMaterial(IReadOnlyList<byte[]> Certificates, IReadOnlyList<byte[]> OcspResponses, IReadOnlyList<byte[]> Crls);

/// <summary>
/// Appends a revision that adds validation data to the catalog's /DSS (ETSI EN 319 142-1 §5.4.2; ISO 32000-2
/// §12.8.4.3): /Certs, /OCSPs and /CRLs arrays of streams holding the DER objects. Entries an earlier revision put in
/// /DSS are kept, and nothing already there is added twice. This is what lifts a B-T signature to B-LT (§6.3).
/// </summary>
internal static class DssRevision
{
    public static byte[] Append(PdfFile file, DssMaterial material)
    {
        var update = new IncrementalUpdate(file);
        var existing = file.Objects.ResolveDictionary(file.Catalog["DSS"]);
        var dss = existing?.Clone() ?? new PdfDictionary();
        dss["Type"] = new PdfName("DSS");
        Merge(update, dss, "Certs", material.Certificates);
        Merge(update, dss, "OCSPs", material.OcspResponses);
        Merge(update, dss, "CRLs", material.Crls);

        if (file.Catalog["DSS"] is PdfReference dssReference)
        {
            update.Replace(dssReference, dss);
        }
        else
        {
            var created = update.Allocate();
            update.Add(created, dss);
            var catalog = file.Catalog.Clone();
            catalog["DSS"] = created;
            update.Replace(file.RootReference, catalog);
        }

        return update.Finish();
    }

    private static void Merge(IncrementalUpdate update, PdfDictionary dss, string key, IReadOnlyList<byte[]> items)
    {
        var array = update.File.Objects.Resolve(dss[key]) is PdfArray current ? new PdfArray(current.Items) : new PdfArray();
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in array.Items)
        {
            if (update.File.Objects.Resolve(item) is PdfStream stream && stream.Dictionary["Filter"] is null)
            {
                present.Add(Convert.ToHexString(SHA256.HashData(stream.Encoded.Span)));
            }
        }

        foreach (var der in items)
        {
            if (present.Add(Convert.ToHexString(SHA256.HashData(der))))
            {
                var reference = update.Allocate();
                update.AddStream(reference, new PdfDictionary(), der);
                array.Items.Add(reference);
            }
        }

        if (array.Items.Count > 0)
        {
            dss[key] = array;
        }
    }
}
