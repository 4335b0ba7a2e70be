using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf.Structure;
using IdentityHub.Signing.Pdf.Syntax;
using IdentityHub.Signing.Pdf.Update;

namespace IdentityHub.Signing.Pdf.Signatures;

/// <summary>
/// Appends a revision holding one signature field and its signature dictionary (ISO 32000-1 §12.8): the widget on the
/// first page's /Annots, the field in /AcroForm /Fields with /SigFlags 3, and /Contents reserved as zeros. The whole
/// file is written once; /ByteRange is then filled in, the two ranges around /Contents are hashed in one pass, and the
/// value <c>sign</c> returns for that digest is written into the reserved space (§12.8.1, EN 319 142-1 §5.1).
/// </summary>
internal static class SignatureRevision
{
    private const string ByteRangePlaceholder = "[0 0000000000 0000000000 0000000000]";

    public static async Task<byte[]> AppendAsync(
        PdfFile file,
        SignatureFieldRequest request,
        HashAlgorithmName hash,
        Func<byte[], CancellationToken, Task<byte[]>> sign,
        CancellationToken cancellationToken)
    {
        var update = new IncrementalUpdate(file);
        var (byteRangeAt, contentsAt) = WriteObjects(update, request);
        var output = update.Finish();

        // §12.8.1: ByteRange excludes exactly the /Contents string, delimiters included.
        var contentsEnd = contentsAt + (2L * request.ContentsBytes) + 2;
        var ranges = string.Create(CultureInfo.InvariantCulture, $"[0 {contentsAt} {contentsEnd} {output.Length - contentsEnd}");
        var patched = ranges.PadRight(ByteRangePlaceholder.Length - 1) + "]";
        Encoding.ASCII.GetBytes(patched).CopyTo(output.AsSpan((int)byteRangeAt));

        using var digest = IncrementalHash.CreateHash(hash);
        digest.AppendData(output, 0, (int)contentsAt);
        digest.AppendData(output, (int)contentsEnd, output.Length - (int)contentsEnd);
        var value = await sign(digest.GetHashAndReset(), cancellationToken);
        if (value.Length > request.ContentsBytes)
        {
            throw new InvalidOperationException($"The signature ({value.Length} bytes) is larger than the {request.ContentsBytes} bytes reserved for /Contents.");
        }

        Encoding.ASCII.GetBytes(Convert.ToHexString(value)).CopyTo(output.AsSpan((int)contentsAt + 1));
        return output;
    }

    private static (long ByteRangeAt, long ContentsAt) WriteObjects(IncrementalUpdate update, SignatureFieldRequest request)
    {
        var file = update.File;
        var signature = update.Allocate();
        var field = update.Allocate();
        var (pageReference, page) = file.FirstPage();
        var catalog = file.Catalog.Clone();
        var catalogChanged = false;

        // §12.7.2: the interactive form, whose /Fields lists the new field; SigFlags 3 = SignaturesExist | AppendOnly.
        var acroFormValue = file.Catalog["AcroForm"];
        var acroForm = file.Objects.ResolveDictionary(acroFormValue)?.Clone() ?? new PdfDictionary();
        var fields = AppendTo(update, acroForm["Fields"], field, out var fieldsChanged);
        if (fieldsChanged is not null)
        {
            acroForm["Fields"] = fieldsChanged;
        }

        if (request.DocMdpPermission is not null && (file.Catalog["Perms"] is not null || HasSignature(file, fields)))
        {
            // §12.8.2.2.1: a document may have only one certification signature, and it must be the first one.
            throw new DocumentRejectedException(DocumentProblems.Unsupported, "A document that is already signed cannot be certified (DocMDP applies to the first signature only).");
        }

        if (request.Type == "Sig" && CertifiedWithoutChanges(file))
        {
            // §12.8.2.2.2 table 254: P=1 permits no change at all; another approval signature would break the certification.
            throw new DocumentRejectedException(DocumentProblems.Unsupported, "The document is certified with no changes permitted (DocMDP P=1); it cannot be signed again.");
        }

        acroForm["SigFlags"] = new PdfNumber(3);
        if (acroFormValue is PdfReference acroFormReference)
        {
            update.Replace(acroFormReference, acroForm);
        }
        else
        {
            var created = update.Allocate();
            update.Add(created, acroForm);
            catalog["AcroForm"] = created;
            catalogChanged = true;
        }

        // §12.5.2: the widget annotation is listed in its page's /Annots.
        var pageCopy = page.Clone();
        AppendTo(update, page["Annots"], field, out var annotsChanged);
        if (annotsChanged is not null)
        {
            pageCopy["Annots"] = annotsChanged;
            update.Replace(pageReference, pageCopy);
        }

        if (request.DocMdpPermission is not null)
        {
            // §12.8.4 table 258: /Perms /DocMDP names the certification signature dictionary.
            var perms = new PdfDictionary();
            perms["DocMDP"] = signature;
            catalog["Perms"] = perms;
            catalogChanged = true;
        }

        if (catalogChanged)
        {
            update.Replace(file.RootReference, catalog);
        }

        WriteField(update, request, field, signature, pageReference, FieldName(file, fields));
        return WriteSignatureDictionary(update, request, signature);
    }

    /// <summary>
    /// Adds <paramref name="item"/> to an array that is indirect (rewritten in place, returns null in <paramref name="direct"/>),
    /// direct or absent (returns the new direct array in <paramref name="direct"/> for the owner to rewrite).
    /// </summary>
    private static PdfArray AppendTo(IncrementalUpdate update, PdfObject? value, PdfReference item, out PdfArray? direct)
    {
        if (value is PdfReference reference && update.File.Objects.Resolve(reference) is PdfArray indirect)
        {
            var copy = new PdfArray(indirect.Items) { Items = { item } };
            update.Replace(reference, copy);
            direct = null;
            return copy;
        }

        direct = value is PdfArray existing ? new PdfArray(existing.Items) { Items = { item } } : new PdfArray([item]);
        return direct;
    }

    /// <summary>The document has a signed signature field or a certification (/Perms): it cannot be certified any more.</summary>
    internal static bool IsSignedOrCertified(PdfFile file)
    {
        if (file.Catalog["Perms"] is not null)
        {
            return true;
        }

        var acroForm = file.Objects.ResolveDictionary(file.Catalog["AcroForm"]);
        return file.Objects.Resolve(acroForm?["Fields"]) is PdfArray fields && HasSignature(file, fields);
    }

    private static bool HasSignature(PdfFile file, PdfArray fields) =>
        fields.Items.Select(file.Objects.ResolveDictionary).Any(f => f is not null && f.IsName("FT", "Sig") && f["V"] is not null);

    /// <summary>§12.8.4 /Perms /DocMDP → the certification signature's DocMDP transform parameters; /P defaults to 2.</summary>
    internal static bool CertifiedWithoutChanges(PdfFile file)
    {
        var objects = file.Objects;
        var certification = objects.ResolveDictionary(objects.ResolveDictionary(file.Catalog["Perms"])?["DocMDP"]);
        if (objects.Resolve(certification?["Reference"]) is not PdfArray references)
        {
            return false;
        }

        return references.Items.Select(objects.ResolveDictionary)
            .Where(r => r is not null && r.IsName("TransformMethod", "DocMDP"))
            .Any(r => StreamDecoder.Integer(objects.ResolveDictionary(r!["TransformParams"])?["P"], 2) == 1);
    }

    /// <summary>§12.7.3.1: a partial field name unique among the form's fields.</summary>
    private static string FieldName(PdfFile file, PdfArray fields)
    {
        var taken = fields.Items.Select(file.Objects.ResolveDictionary)
            .Select(f => f?["T"] is PdfString s ? Encoding.Latin1.GetString(s.Token) : null)
            .ToHashSet(StringComparer.Ordinal);
        var n = 1;
        while (taken.Contains($"(Signature{n})"))
        {
            n++;
        }

        return $"Signature{n}";
    }

    /// <summary>§12.7.4.5 / §12.5.6.19: a signature field merged with its widget; /F 132 = Print | Locked.</summary>
    private static void WriteField(IncrementalUpdate update, SignatureFieldRequest request, PdfReference field, PdfReference signature, PdfReference page, string name)
    {
        var widget = new PdfDictionary();
        widget["Type"] = new PdfName("Annot");
        widget["Subtype"] = new PdfName("Widget");
        widget["FT"] = new PdfName("Sig");
        widget["T"] = PdfString.Text(name);
        widget["V"] = signature;
        widget["F"] = new PdfNumber(132);
        widget["P"] = page;
        var rectangle = request.Appearance?.Rectangle ?? [0, 0, 0, 0]; // an invisible signature has a zero-size rectangle
        widget["Rect"] = new PdfArray(rectangle.Select(v => (PdfObject)new PdfNumber(v.ToString("0.##", CultureInfo.InvariantCulture))));
        if (request.Appearance is { } appearance)
        {
            var stream = update.Allocate();
            var (dictionary, content) = appearance.Build();
            update.AddStream(stream, dictionary, content);
            var ap = new PdfDictionary();
            ap["N"] = stream;
            widget["AP"] = ap;
        }

        update.Add(field, widget);
    }

    /// <summary>§12.8.1 table 252, written by hand so the offsets of /ByteRange and /Contents are known.</summary>
    private static (long ByteRangeAt, long ContentsAt) WriteSignatureDictionary(IncrementalUpdate update, SignatureFieldRequest request, PdfReference signature)
    {
        var entries = new PdfDictionary();
        entries["Type"] = new PdfName(request.Type);
        entries["Filter"] = new PdfName("Adobe.PPKLite");
        entries["SubFilter"] = new PdfName(request.SubFilter);
        if (request.SigningTime is { } time)
        {
            // §7.9.4 date: D:YYYYMMDDHHmmSS+00'00' in UTC.
            entries["M"] = PdfString.Text("D:" + time.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "+00'00'");
        }

        AddText(entries, "Name", request.Name);
        AddText(entries, "Reason", request.Reason);
        AddText(entries, "Location", request.Location);
        if (request.DocMdpPermission is { } permission)
        {
            // §12.8.2.2.2 table 254: the DocMDP transform with its permission level P.
            var parameters = new PdfDictionary();
            parameters["Type"] = new PdfName("TransformParams");
            parameters["P"] = new PdfNumber(permission);
            parameters["V"] = new PdfName("1.2");
            var reference = new PdfDictionary();
            reference["Type"] = new PdfName("SigRef");
            reference["TransformMethod"] = new PdfName("DocMDP");
            reference["TransformParams"] = parameters;
            entries["Reference"] = new PdfArray([reference]);
        }

        update.BeginRaw(signature);
        var writer = update.Writer;
        writer.Raw("<<");
        foreach (var (key, value) in entries.Entries)
        {
            writer.Raw("/" + key + " ");
            value.WriteTo(writer);
            writer.Raw("\n");
        }

        writer.Raw("/ByteRange ");
        var byteRangeAt = update.AbsolutePosition;
        writer.Raw(ByteRangePlaceholder);
        writer.Raw("\n/Contents ");
        var contentsAt = update.AbsolutePosition;
        writer.Raw("<");
        writer.Raw(new string('0', 2 * request.ContentsBytes));
        writer.Raw(">\n>>");
        update.EndRaw();
        return (byteRangeAt, contentsAt);
    }

    private static void AddText(PdfDictionary entries, string key, string? text)
    {
        if (!string.IsNullOrWhiteSpace(text))
        {
            entries[key] = PdfString.Text(text);
        }
    }
}
