using System.Globalization;
using System.Text;
using IdentityHub.Signing.Documents;
using IdentityHub.Signing.Pdf.Structure;
using IdentityHub.Signing.Pdf.Syntax;
using IdentityHub.Signing.Pdf.Update;

namespace IdentityHub.Signing.Tests.Pdf;

/// <summary>The PDF structure reader and incremental writer on small hand-made files, hostile ones included.</summary>
public sealed class PdfFileTests
{
    [Fact]
    public void A_revision_keeps_the_original_bytes_links_Prev_and_its_new_object_versions_win()
    {
        var original = Minimal();
        var file = PdfFile.Open(original);
        Assert.Equal(XrefKind.Table, file.Kind);

        var update = new IncrementalUpdate(file);
        var catalog = file.Catalog.Clone();
        catalog["Lang"] = PdfString.Text("et");
        update.Replace(file.RootReference, catalog);
        var added = update.Allocate();
        update.Add(added, PdfString.Text("new"));
        var updated = update.Finish();

        Assert.Equal(original, updated.AsSpan(0, original.Length).ToArray());
        var reopened = PdfFile.Open(updated);
        Assert.Equal(file.StartXref, StreamDecoder.Integer(reopened.Trailer["Prev"], -1));
        Assert.Equal("(et)", Encoding.Latin1.GetString(((PdfString)reopened.Catalog["Lang"]!).Token));
        Assert.Equal("(new)", Encoding.Latin1.GetString(((PdfString)reopened.Objects.Load(added.Number)).Token));
        Assert.Equal(added.Number + 1, reopened.Size);
        Assert.Equal(file.FirstPage().Reference, reopened.FirstPage().Reference);
    }

    [Fact]
    public void Bytes_without_a_PDF_header_are_not_a_PDF()
    {
        var refused = Assert.Throws<DocumentRejectedException>(() => PdfFile.Open("PK\u0003\u0004 a zip named .pdf"u8.ToArray()));
        Assert.Equal(DocumentProblems.NotPdf, refused.Code);
    }

    [Fact]
    public void An_Encrypt_entry_in_the_trailer_is_refused_as_encrypted()
    {
        var refused = Assert.Throws<DocumentRejectedException>(() => PdfFile.Open(Minimal(trailerExtra: "/Encrypt 9 0 R")));
        Assert.Equal(DocumentProblems.EncryptedPdf, refused.Code);
    }

    [Theory]
    [InlineData("startxref beyond the end")]
    [InlineData("Prev pointing at itself")]
    [InlineData("nesting without end")]
    [InlineData("root missing")]
    public void Damaged_structure_is_refused_as_damaged(string damage)
    {
        var pdf = damage switch
        {
            "startxref beyond the end" => Minimal(startXrefOverride: 999_999),
            "Prev pointing at itself" => Minimal(selfPrev: true),
            "nesting without end" => Minimal(trailerExtra: "/Deep " + new string('[', 200) + new string(']', 200)),
            _ => Minimal(rootNumber: 7),
        };
        var refused = Assert.Throws<DocumentRejectedException>(() => PdfFile.Open(pdf));
        Assert.Equal(DocumentProblems.DamagedPdf, refused.Code);
    }

    /// <summary>A one-page PDF with a correct classic cross-reference table (ISO 32000-1 §7.5).</summary>
    private static byte[] Minimal(string trailerExtra = "", long? startXrefOverride = null, bool selfPrev = false, int rootNumber = 1)
    {
        var builder = new StringBuilder("%PDF-1.7\n");
        var offsets = new List<int>();
        string[] objects =
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        ];
        for (var i = 0; i < objects.Length; i++)
        {
            offsets.Add(builder.Length);
            builder.Append(CultureInfo.InvariantCulture, $"{i + 1} 0 obj\n{objects[i]}\nendobj\n");
        }

        var xref = builder.Length;
        builder.Append("xref\n0 4\n0000000000 65535 f\r\n");
        foreach (var offset in offsets)
        {
            builder.Append(CultureInfo.InvariantCulture, $"{offset:D10} 00000 n\r\n");
        }

        var prev = selfPrev ? string.Create(CultureInfo.InvariantCulture, $"/Prev {xref}") : "";
        builder.Append(CultureInfo.InvariantCulture, $"trailer\n<< /Size 4 /Root {rootNumber} 0 R {prev} {trailerExtra} >>\nstartxref\n{startXrefOverride ?? xref}\n%%EOF\n");
        return Encoding.Latin1.GetBytes(builder.ToString());
    }
}
