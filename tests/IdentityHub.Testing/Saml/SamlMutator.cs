using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;

namespace IdentityHub.Testing.Saml;

/// <summary>
/// One fuzz case: a validly signed AuthnRequest changed by <see cref="Mutation"/>, as a GET query (HTTP-Redirect) or a
/// form (HTTP-POST). <see cref="SignedContentChanged"/> is computed, not declared: whether anything the signature covers
/// differs from the request as signed (Redirect: the raw SAMLRequest, RelayState and SigAlg values and the Signature's
/// bytes, §3.4.4.1; POST: the exclusive canonical form, comments included, of the root without its Signature, and of
/// SignedInfo). Where it cannot tell (the mutated message no longer parses), it says changed.
/// </summary>
public sealed record FuzzCase(int Index, string Binding, string Mutation, bool SignedContentChanged, Uri? Url, IReadOnlyList<KeyValuePair<string, string>>? Form)
{
    public bool IsControl => Mutation == "control";
}

/// <summary>
/// Builds deterministic fuzz cases for the SSO endpoint from a seed: case i is the same for the same seed and SP,
/// whatever order or thread builds it. Mutations: bytes and bits of the base64 and DEFLATE payload, XML edits of signed
/// content keeping the original signature, signature edits, XML signature wrapping, algorithm swaps, equivalent
/// re-encodings, and the unsigned transport around the message.
/// </summary>
public sealed class SamlMutator : IDisposable
{
    public const string Redirect = "redirect";
    public const string Post = "post";

    private const string Base64Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    private static readonly string[] OtherSigAlgs =
    [
        AuthnRequests.RsaSha1, "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256",
        "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256", "http://www.w3.org/2000/09/xmldsig#dsa-sha1", "", "rsa-sha256", AuthnRequests.RsaSha256 + " ",
    ];

    private readonly TestServiceProvider _sp;
    private readonly Uri _hub;
    private readonly string _destination;
    private readonly RSA _attacker = RSA.Create(2048);
    private readonly X509Certificate2 _attackerCertificate;

    public SamlMutator(TestServiceProvider sp, Uri hub, int seed)
    {
        ArgumentNullException.ThrowIfNull(sp);
        ArgumentNullException.ThrowIfNull(hub);
        _sp = sp;
        _hub = hub;
        _destination = new Uri(hub, "/saml/sso").ToString();
        Seed = seed;
        var request = new CertificateRequest("CN=attacker", _attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _attackerCertificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public int Seed { get; }

    public void Dispose()
    {
        _attacker.Dispose();
        _attackerCertificate.Dispose();
    }

    /// <summary>Case <paramref name="index"/>: even indices HTTP-Redirect, odd HTTP-POST; about 2% are unmutated controls.</summary>
    public FuzzCase Build(int index)
    {
        var random = new Random(unchecked((Seed * 1_000_003) + index));
        var binding = index % 2 == 0 ? Redirect : Post;
        var fields = BaseFields(index, random, binding);
        var relayState = random.Next(2) == 0 ? RandomText(random, 1 + random.Next(40), "abcdefghijklmnopqrstuvwxyz0123456789-_.~/") : null;
        var xml = AuthnRequests.Xml(fields);
        var control = random.Next(50) == 0;
        return binding == Redirect ? BuildRedirect(index, random, xml, relayState, control) : BuildPost(index, random, xml, relayState, control);
    }

    private AuthnRequests.Fields BaseFields(int index, Random random, string binding)
    {
        var acs = random.Next(5);
        return new AuthnRequests.Fields
        {
            Id = $"_f{Seed:x}x{index}",
            Issuer = _sp.EntityId,
            IssueInstant = DateTimeOffset.UtcNow.AddSeconds(-random.Next(30)),
            // saml-bindings §3.5.5.2: a signed POST request carries its Destination; a Redirect one may leave it out.
            Destination = binding == Post || random.Next(5) != 0 ? _destination : null,
            AcsUrl = acs switch { 0 or 1 or 2 => TestServiceProvider.Acs, 3 => TestServiceProvider.SecondAcs, _ => null },
            AcsIndex = acs == 4 && random.Next(2) == 0 ? random.Next(2) : null,
            ProtocolBinding = acs == 4 ? null : AuthnRequests.PostBinding,
            ForceAuthn = Pick(random, null, "true", "false"),
            IsPassive = Pick(random, null, "false"),
            NameIdFormat = Pick(random, "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", null),
            AllowCreate = Pick(random, "true", "false", null),
            ClassRefs = random.Next(3) == 0 ? null : [Pick(random, "http://eidas.europa.eu/LoA/low", "http://eidas.europa.eu/LoA/substantial")!],
            Extensions = random.Next(3) == 0 ? "<x:Note xmlns:x=\"urn:test:ext\">note</x:Note>" : null,
        };
    }

    // ---- HTTP-Redirect ---------------------------------------------------------------------------------------------

    private FuzzCase BuildRedirect(int index, Random random, string xml, string? relayState, bool control)
    {
        var signed = AuthnRequests.RedirectQuery(xml, _sp.Key, relayState);
        var original = RedirectSignedParts(Url(signed).Query);
        if (control)
        {
            return RedirectCase(index, "control", signed, original);
        }

        var parameters = AuthnRequests.SplitQuery(signed);
        string Value(string name) => parameters.First(p => p.Key == name).Value;
        string With(string name, string value) => AuthnRequests.JoinQuery(parameters.Select(p => p.Key == name ? new KeyValuePair<string, string>(name, value) : p));
        byte[] Deflated() => Convert.FromBase64String(WebUtility.UrlDecode(Value("SAMLRequest")));
        string Encoded(byte[] deflated) => Uri.EscapeDataString(Convert.ToBase64String(deflated));

        string mutation;
        string query;
        switch (random.Next(24))
        {
            case 0:
            case 1:
                (mutation, var bytes) = MutateBytes(random, Deflated());
                (mutation, query) = ("deflate-" + mutation, With("SAMLRequest", Encoded(bytes)));
                break;
            case 2:
            case 3:
                (mutation, var text) = MutateBase64Text(random, WebUtility.UrlDecode(Value("SAMLRequest")));
                (mutation, query) = ("base64-" + mutation, With("SAMLRequest", Uri.EscapeDataString(text)));
                break;
            case 4:
            case 5:
            case 6:
            case 7:
            case 8:
                // An XML edit of the signed request, the original SigAlg and Signature kept.
                (mutation, var edited) = EditXml(random, xml, signedPost: false);
                (mutation, query) = ("xml-" + mutation, With("SAMLRequest", AuthnRequests.RedirectValue(edited)));
                break;
            case 9:
                (mutation, var xmlBytes) = MutateBytes(random, Encoding.UTF8.GetBytes(xml));
                (mutation, query) = ("xmlbytes-" + mutation, With("SAMLRequest", Encoded(AuthnRequests.Deflate(xmlBytes))));
                break;
            case 10:
                // The same XML deflated differently: other octets than those signed.
                mutation = "redeflate";
                query = With("SAMLRequest", Encoded(AuthnRequests.Deflate(Encoding.UTF8.GetBytes(xml), random.Next(2) == 0 ? System.IO.Compression.CompressionLevel.NoCompression : System.IO.Compression.CompressionLevel.Fastest)));
                break;
            case 11:
                (mutation, query) = SwapSigAlg(random, parameters, xml, relayState);
                break;
            case 12:
                // Equivalent-looking re-encodings of a signed value: lower-case escapes, escapes of characters that need none.
                var name = Pick(random, "SAMLRequest", "SigAlg", relayState is null ? "SigAlg" : "RelayState")!;
                (mutation, query) = ("reencode-" + name, With(name, Reencode(random, Value(name))));
                break;
            case 13:
                // Where the parameters stand does not matter (§3.4.4.1 fixes the order of the signed octets).
                mutation = "reorder";
                query = AuthnRequests.JoinQuery(parameters.OrderBy(_ => random.Next()));
                break;
            case 14:
                mutation = "extra-parameter";
                query = signed + Pick(random, "&foo=bar", "&SAMLEncoding=" + Uri.EscapeDataString("urn:oasis:names:tc:SAML:2.0:bindings:URL-Encoding:DEFLATE"), "&x", "&=", "&&");
                break;
            case 15:
                var repeated = parameters[random.Next(parameters.Count)];
                mutation = "duplicate-" + repeated.Key;
                query = signed + "&" + repeated.Key + "=" + (random.Next(2) == 0 ? repeated.Value : "x");
                break;
            case 16:
                var dropped = Pick(random, "Signature", "SigAlg", "both")!;
                mutation = "drop-" + dropped;
                query = AuthnRequests.JoinQuery(parameters.Where(p => dropped == "both" ? p.Key is not ("Signature" or "SigAlg") : p.Key != dropped));
                break;
            case 17:
                mutation = "relaystate";
                var relay = Uri.EscapeDataString(RandomText(random, random.Next(2) == 0 ? 1 + random.Next(60) : 81 + random.Next(40), "abcdefghij0123456789 %&=+"));
                query = relayState is null
                    ? AuthnRequests.JoinQuery(parameters.Take(1).Append(new("RelayState", relay)).Concat(parameters.Skip(1)))
                    : With("RelayState", relay);
                break;
            case 18:
                // The Signature's own encoding (not signed): line breaks every 76 characters, lower-case escapes.
                mutation = random.Next(2) == 0 ? "signature-linebreaks" : "signature-lowercase-escapes";
                var signature = WebUtility.UrlDecode(Value("Signature"));
                query = With("Signature", mutation == "signature-linebreaks"
                    ? Uri.EscapeDataString(string.Join("\r\n", signature.Chunk(76).Select(c => new string(c))))
                    : LowerCaseEscapes(Value("Signature")));
                break;
            case 19:
                (mutation, var flipped) = MutateBytes(random, Convert.FromBase64String(WebUtility.UrlDecode(Value("Signature"))));
                (mutation, query) = ("signature-" + mutation, With("Signature", Uri.EscapeDataString(Convert.ToBase64String(flipped))));
                break;
            case 20:
                mutation = "encoding-parameter";
                query = signed + "&SAMLEncoding=" + Pick(random, "urn%3Aoasis%3Anames%3Atc%3ASAML%3A2.0%3Abindings%3AURL-Encoding%3ADEFLATE", "gzip", "");
                break;
            case 21:
                mutation = "parameter-name";
                query = signed.Replace(Pick(random, "SAMLRequest=", "SigAlg=", "Signature=")!, Pick(random, "samlrequest=", "SAMLResponse=", "SAML%52equest=", "%20SAMLRequest="), StringComparison.Ordinal);
                break;
            case 22:
                // A changed request signed with the attacker's key: only the SP's registered key may verify.
                (mutation, var changed) = EditXml(random, xml, signedPost: false);
                mutation = "attacker-key-" + mutation;
                query = AuthnRequests.RedirectQuery(changed, _attacker, relayState);
                break;
            default:
                // A ds:Signature inside a Redirect message: §3.4.4.1 says it must have been removed.
                mutation = "xml-signature-element";
                var withSignature = AuthnRequests.SignEnveloped(xml, _sp.Key).OuterXml;
                query = With("SAMLRequest", AuthnRequests.RedirectValue(withSignature));
                break;
        }

        return RedirectCase(index, mutation, query, original);
    }

    private (string Mutation, string Query) SwapSigAlg(Random random, List<KeyValuePair<string, string>> parameters, string xml, string? relayState)
    {
        if (random.Next(3) == 0)
        {
            // Validly signed with the SP's own key, but with SHA-1: the algorithm itself is refused.
            return ("sigalg-sha1-signed", AuthnRequests.RedirectQuery(xml, _sp.Key, relayState, AuthnRequests.RsaSha1, HashAlgorithmName.SHA1));
        }

        var sigAlg = OtherSigAlgs[random.Next(OtherSigAlgs.Length)];
        return ("sigalg-swap", AuthnRequests.JoinQuery(parameters.Select(p => p.Key == "SigAlg" ? new KeyValuePair<string, string>("SigAlg", Uri.EscapeDataString(sigAlg)) : p)));
    }

    private FuzzCase RedirectCase(int index, string mutation, string query, RedirectParts? original)
    {
        var url = Url(query);
        var parts = RedirectSignedParts(url.Query);
        return new FuzzCase(index, Redirect, mutation, parts is null || original is null || !parts.Equals(original), url, null);
    }

    /// <summary>The URL sent exactly as written: System.Uri would otherwise normalise escapes (%2b to %2B, %41 to A).</summary>
    private Uri Url(string query) =>
        new(new Uri(_hub, "/saml/sso").AbsoluteUri + "?" + query, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

    private sealed record RedirectParts(string? Message, string? RelayState, string? SigAlg, string? Signature);

    /// <summary>What §3.4.4.1 signs, from the query as sent: null when a parameter repeats (then nothing is unambiguous).</summary>
    private static RedirectParts? RedirectSignedParts(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in AuthnRequests.SplitQuery(query))
        {
            if (!values.TryAdd(WebUtility.UrlDecode(name), value))
            {
                return null;
            }
        }

        string? signature = null;
        if (values.TryGetValue("Signature", out var raw))
        {
            var text = WebUtility.UrlDecode(raw).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
            try
            {
                signature = Convert.ToHexString(Convert.FromBase64String(text));
            }
            catch (FormatException)
            {
                signature = "invalid:" + text;
            }
        }

        return new RedirectParts(values.GetValueOrDefault("SAMLRequest"), values.GetValueOrDefault("RelayState"), values.GetValueOrDefault("SigAlg"), signature);
    }

    // ---- HTTP-POST -------------------------------------------------------------------------------------------------

    private FuzzCase BuildPost(int index, Random random, string xml, string? relayState, bool control)
    {
        var signedDocument = AuthnRequests.SignEnveloped(xml, _sp.Key);
        var signed = signedDocument.OuterXml;
        var original = PostSignedView(Encoding.UTF8.GetBytes(signed)) ?? throw new InvalidOperationException("The signed request does not read back.");
        var form = new List<KeyValuePair<string, string>> { new("SAMLRequest", Convert.ToBase64String(Encoding.UTF8.GetBytes(signed))) };
        if (relayState is not null)
        {
            form.Add(new("RelayState", relayState));
        }

        if (control)
        {
            return PostCase(index, "control", form, original);
        }

        void SetMessage(byte[] bytes) => form[0] = new("SAMLRequest", Convert.ToBase64String(bytes));
        string mutation;
        switch (random.Next(22))
        {
            case 0:
            case 1:
                (mutation, var text) = MutateBase64Text(random, form[0].Value);
                mutation = "base64-" + mutation;
                form[0] = new("SAMLRequest", text);
                break;
            case 2:
                // Equivalent: base64 wrapped at 76 columns (tolerated), or with spaces (not base64).
                mutation = random.Next(2) == 0 ? "base64-linebreaks" : "base64-spaces";
                form[0] = new("SAMLRequest", string.Join(mutation == "base64-linebreaks" ? "\r\n" : " ", form[0].Value.Chunk(76).Select(c => new string(c))));
                break;
            case 3:
            case 4:
                (mutation, var bytes) = MutateBytes(random, Encoding.UTF8.GetBytes(signed));
                mutation = "xmlbytes-" + mutation;
                SetMessage(bytes);
                break;
            case 5:
            case 6:
            case 7:
            case 8:
            case 9:
                (mutation, var edited) = EditXml(random, signed, signedPost: true);
                mutation = "xml-" + mutation;
                SetMessage(Encoding.UTF8.GetBytes(edited));
                break;
            case 10:
            case 11:
            case 12:
                (mutation, var document) = EditSignature(random, AuthnRequests.Parse(signed));
                mutation = "signature-" + mutation;
                SetMessage(Encoding.UTF8.GetBytes(document.OuterXml));
                break;
            case 13:
            case 14:
                (mutation, var resigned) = Resign(random, xml);
                mutation = "resigned-" + mutation;
                SetMessage(Encoding.UTF8.GetBytes(resigned));
                break;
            case 15:
                (mutation, var wrapped) = Wrap(random, AuthnRequests.Parse(signed));
                mutation = "wrapping-" + mutation;
                SetMessage(Encoding.UTF8.GetBytes(wrapped));
                break;
            case 16:
            case 17:
                (mutation, var equivalent) = Equivalent(random, signed);
                mutation = "equivalent-" + mutation;
                SetMessage(equivalent);
                break;
            case 18:
                // RelayState is not signed in HTTP-POST: up to 80 bytes it may be anything (§3.5.3), past that refused.
                mutation = "relaystate";
                form.RemoveAll(p => p.Key == "RelayState");
                var length = random.Next(3) == 0 ? 81 + random.Next(40) : random.Next(81);
                form.Add(new("RelayState", RandomText(random, length, random.Next(4) == 0 ? "ab\0\u0001\u001f\u007f\t\r\n<>\"'&é€" : "abcdefghij0123456789 %&=+<>\"'")));
                break;
            case 19:
                mutation = "extra-field";
                form.Add(new(Pick(random, "foo", "SigAlg", "Signature", "SAMLEncoding")!, Pick(random, "bar", AuthnRequests.RsaSha1, "")!));
                break;
            case 20:
                mutation = Pick(random, "duplicate-message", "missing-message", "response-parameter", "duplicate-relaystate")!;
                switch (mutation)
                {
                    case "duplicate-message":
                        form.Add(form[0]);
                        break;
                    case "missing-message":
                        form.RemoveAt(0);
                        break;
                    case "response-parameter":
                        form[0] = new("SAMLResponse", form[0].Value);
                        break;
                    default:
                        form.Add(new("RelayState", "second"));
                        break;
                }

                break;
            default:
                // A DOCTYPE: external entities, billion laughs, or only a harmless internal subset.
                mutation = "doctype";
                SetMessage(Encoding.UTF8.GetBytes(Doctype(random, signed)));
                break;
        }

        return PostCase(index, mutation, form, original);
    }

    private static FuzzCase PostCase(int index, string mutation, List<KeyValuePair<string, string>> form, byte[] original)
    {
        // What ASP.NET's form reader gives for a repeated field: the values joined with commas.
        var messages = form.Where(p => p.Key == "SAMLRequest").Select(p => p.Value).ToList();
        var view = messages.Count == 0 ? null : Base64Xml(string.Join(',', messages)) is { } bytes ? PostSignedView(bytes) : null;
        return new FuzzCase(index, Post, mutation, view is null || !view.AsSpan().SequenceEqual(original), null, form);
    }

    private static byte[]? Base64Xml(string text)
    {
        var compact = text.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal);
        try
        {
            return compact.Contains(' ', StringComparison.Ordinal) ? null : Convert.FromBase64String(compact);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// What the enveloped signature covers, as bytes to compare: exclusive c14n with comments of the root without its
    /// direct ds:Signature children, then of the one Signature's SignedInfo. Null when it does not parse, or when the
    /// root has no single direct Signature.
    /// </summary>
    public static byte[]? PostSignedView(byte[] xml)
    {
        XmlDocument document;
        try
        {
            document = new XmlDocument { PreserveWhitespace = true, XmlResolver = null };
            using var reader = XmlReader.Create(new MemoryStream(xml), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            document.Load(reader);
        }
        catch (Exception ex) when (ex is XmlException or ArgumentException or NotSupportedException or DecoderFallbackException)
        {
            // Whatever the hub makes of bytes this parser refuses, they are not what was signed.
            return null;
        }

        var root = document.DocumentElement!;
        var signatures = root.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Signature" && e.NamespaceURI == AuthnRequests.Ds).ToList();
        if (signatures.Count != 1 || signatures[0]["SignedInfo", AuthnRequests.Ds] is not { } signedInfo)
        {
            return null;
        }

        var content = new XmlDocument { PreserveWhitespace = true };
        var copy = (XmlElement)content.ImportNode(root, deep: true);
        foreach (var signature in copy.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName == "Signature" && e.NamespaceURI == AuthnRequests.Ds).ToList())
        {
            copy.RemoveChild(signature);
        }

        content.AppendChild(copy);
        var info = new XmlDocument { PreserveWhitespace = true };
        info.AppendChild(info.ImportNode(signedInfo, deep: true));
        return [.. Canonical(content), 0, .. Canonical(info)];
    }

    private static byte[] Canonical(XmlDocument document)
    {
        var transform = new XmlDsigExcC14NWithCommentsTransform();
        transform.LoadInput(document);
        using var output = (Stream)transform.GetOutput(typeof(Stream));
        using var buffer = new MemoryStream();
        output.CopyTo(buffer);
        return buffer.ToArray();
    }

    private (string, XmlDocument) EditSignature(Random random, XmlDocument document)
    {
        var root = document.DocumentElement!;
        var signature = root["Signature", AuthnRequests.Ds]!;
        var signedInfo = signature["SignedInfo", AuthnRequests.Ds]!;
        var reference = signedInfo["Reference", AuthnRequests.Ds]!;
        switch (random.Next(12))
        {
            case 0:
                root.AppendChild(signature);
                return ("moved-to-end", document);
            case 1:
                var extensions = Extensions(root);
                extensions.AppendChild(signature.CloneNode(deep: true));
                return ("copied-into-extensions", document);
            case 2:
                root.RemoveChild(signature);
                return ("removed", document);
            case 3:
                signedInfo["SignatureMethod", AuthnRequests.Ds]!.SetAttribute("Algorithm", Pick(random, OtherSigAlgs)!);
                return ("method-swapped", document);
            case 4:
                reference["DigestMethod", AuthnRequests.Ds]!.SetAttribute("Algorithm", Pick(random, AuthnRequests.Sha1, "http://www.w3.org/2001/04/xmlenc#sha512", "")!);
                return ("digest-swapped", document);
            case 5:
                reference.SetAttribute("URI", Pick(random, "", "#other", "#" + root.GetAttribute("ID") + " ", "http://evil.example/x")!);
                return ("reference-uri", document);
            case 6:
                var transform = document.CreateElement("ds", "Transform", AuthnRequests.Ds);
                transform.SetAttribute("Algorithm", Pick(random, "http://www.w3.org/TR/1999/REC-xpath-19991116", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315", "http://www.w3.org/2000/09/xmldsig#base64", "http://www.w3.org/TR/1999/REC-xslt-19991116")!);
                reference["Transforms", AuthnRequests.Ds]!.AppendChild(transform);
                return ("extra-transform", document);
            case 7:
                // KeyInfo is never consulted: with the attacker's certificate in it, the SP's key still verifies.
                var keyInfo = new KeyInfo();
                keyInfo.AddClause(new KeyInfoX509Data(_attackerCertificate));
                signature.AppendChild(document.ImportNode(keyInfo.GetXml(), deep: true));
                return ("keyinfo-attacker", document);
            case 8:
                var value = signature["SignatureValue", AuthnRequests.Ds]!;
                var bytes = Convert.FromBase64String(value.InnerText);
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                value.InnerText = Convert.ToBase64String(bytes);
                return ("value-bitflip", document);
            case 9:
                var wrapped = signature["SignatureValue", AuthnRequests.Ds]!;
                wrapped.InnerText = string.Join("\n", wrapped.InnerText.Chunk(64).Select(c => new string(c)));
                return ("value-linebreaks", document);
            case 10:
                var dsObject = document.CreateElement("ds", "Object", AuthnRequests.Ds);
                dsObject.AppendChild(document.CreateElement("x", "Any", "urn:test:ext"));
                signature.AppendChild(dsObject);
                return ("object-added", document);
            default:
                var second = document.CreateElement("ds", "Reference", AuthnRequests.Ds);
                second.SetAttribute("URI", "#" + root.GetAttribute("ID"));
                signedInfo.AppendChild(second);
                return ("second-reference", document);
        }
    }

    /// <summary>Signed again, validly, by the SP's key with what the hub must refuse, or by the attacker's key.</summary>
    private (string, string) Resign(Random random, string xml)
    {
        switch (random.Next(5))
        {
            case 0:
                return ("sha1", AuthnRequests.SignEnveloped(xml, _sp.Key, new AuthnRequests.SignatureOptions { SignatureMethod = AuthnRequests.RsaSha1, DigestMethod = AuthnRequests.Sha1 }).OuterXml);
            case 1:
                return ("whole-document-reference", AuthnRequests.SignEnveloped(xml, _sp.Key, new AuthnRequests.SignatureOptions { ReferenceUri = "" }).OuterXml);
            case 2:
                return ("inclusive-c14n-transform", AuthnRequests.SignEnveloped(xml, _sp.Key, new AuthnRequests.SignatureOptions { Transforms = [new XmlDsigC14NTransform()] }).OuterXml);
            case 3:
                // An edit that still parses (the attacker signs a document, not bytes).
                var (edit, changed) = EditXml(random, xml, signedPost: false);
                while (!Parses(changed))
                {
                    (edit, changed) = EditXml(random, xml, signedPost: false);
                }

                return ("attacker-key-keyinfo-" + edit, AuthnRequests.SignEnveloped(changed, _attacker, new AuthnRequests.SignatureOptions { KeyInfoCertificate = _attackerCertificate }).OuterXml);
            default:
                // A comment in the Issuer, then signed: exclusive c14n leaves it out of the digest, so it is unsigned content.
                var commented = xml.Replace("</saml:Issuer>", "<!--x-->.attacker.example</saml:Issuer>", StringComparison.Ordinal);
                return ("issuer-comment", AuthnRequests.SignEnveloped(commented, _sp.Key).OuterXml);
        }
    }

    private static bool Parses(string xml)
    {
        try
        {
            AuthnRequests.Parse(xml);
            return true;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    /// <summary>XML signature wrapping: a changed copy read, the signed original hidden where a careless verifier finds it.</summary>
    private static (string, string) Wrap(Random random, XmlDocument signed)
    {
        var original = signed.DocumentElement!;
        var document = new XmlDocument { PreserveWhitespace = true };
        var evil = (XmlElement)document.ImportNode(original, deep: true);
        evil.SetAttribute("AssertionConsumerServiceURL", TestServiceProvider.SecondAcs);
        evil.SetAttribute("ForceAuthn", "false");
        document.AppendChild(evil);
        var signature = evil["Signature", AuthnRequests.Ds]!;
        var hidden = (XmlElement)document.ImportNode(original, deep: true);
        switch (random.Next(4))
        {
            case 0:
                evil.SetAttribute("ID", "_evil");
                Extensions(evil).AppendChild(hidden);
                evil.RemoveChild(signature);
                return ("original-in-extensions", document.OuterXml);
            case 1:
                hidden.RemoveChild(hidden["Signature", AuthnRequests.Ds]!);
                var dsObject = document.CreateElement("ds", "Object", AuthnRequests.Ds);
                dsObject.AppendChild(hidden);
                signature.AppendChild(dsObject);
                evil.SetAttribute("ID", "_evil");
                return ("original-in-object", document.OuterXml);
            case 2:
                evil.AppendChild(hidden);
                return ("same-id-copy-first", document.OuterXml);
            default:
                evil.SetAttribute("ID", "_evil");
                evil.AppendChild(hidden);
                evil.RemoveChild(signature);
                return ("original-appended", document.OuterXml);
        }
    }

    /// <summary>Serializations of the same signed message that the signature still covers (and some that only look alike).</summary>
    private static (string, byte[]) Equivalent(Random random, string signed)
    {
        switch (random.Next(6))
        {
            case 0:
                return ("xml-declaration", Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + signed));
            case 1:
                return ("utf16-bom", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes("<?xml version=\"1.0\" encoding=\"UTF-16\"?>" + signed)]);
            case 2:
                return ("single-quotes", Encoding.UTF8.GetBytes(signed.Replace("Version=\"2.0\"", "Version='2.0'", StringComparison.Ordinal)));
            case 3:
                return ("whitespace-in-tags", Encoding.UTF8.GetBytes(signed.Replace(" Version=\"2.0\"", "\n\t Version = \"2.0\" ", StringComparison.Ordinal)));
            case 4:
                // A character reference for the Issuer's first letter: the same text once parsed.
                return ("character-reference", Encoding.UTF8.GetBytes(signed.Replace("<saml:Issuer>h", "<saml:Issuer>&#x68;", StringComparison.Ordinal)));
            default:
                var (label, encoding) = Pick(random, ("encoding-ebcdic", "IBM037"), ("encoding-unknown", "x-no-such-encoding"), ("encoding-latin1", "ISO-8859-1"));
                return (label, Encoding.UTF8.GetBytes("<?xml version=\"1.0\" encoding=\"" + encoding + "\"?>" + signed));
        }
    }

    private static string Doctype(Random random, string xml)
    {
        var doctype = Pick(random,
            "<!DOCTYPE samlp:AuthnRequest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
            "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY x \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
            "<!DOCTYPE samlp:AuthnRequest [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %p;]>",
            "<!DOCTYPE samlp:AuthnRequest>")!;
        var body = doctype.Contains("ENTITY x", StringComparison.Ordinal) ? xml.Replace("</saml:Issuer>", "&x;</saml:Issuer>", StringComparison.Ordinal) : xml;
        return doctype + body;
    }

    // ---- XML edits of signed content (shared by both bindings) -----------------------------------------------------

    /// <summary>One edit of the request's content; <paramref name="signedPost"/>: the XML holds its enveloped Signature.</summary>
    private (string, string) EditXml(Random random, string xml, bool signedPost)
    {
        var choice = random.Next(30);
        if (choice >= 26)
        {
            // String-level edits the DOM cannot express.
            return choice switch
            {
                26 => ("character-reference", xml.Replace("<saml:Issuer>h", "<saml:Issuer>&#x68;", StringComparison.Ordinal)),
                27 => ("undefined-entity", xml.Replace("</saml:Issuer>", "&x;</saml:Issuer>", StringComparison.Ordinal)),
                28 => ("prefix-renamed", xml.Replace("samlp:", "p:", StringComparison.Ordinal).Replace("xmlns:samlp", "xmlns:p", StringComparison.Ordinal)),
                _ => ("doctype", Doctype(random, xml)),
            };
        }

        var document = AuthnRequests.Parse(xml);
        var root = document.DocumentElement!;
        var issuer = root["Issuer", AuthnRequests.Assertion]!;
        var policy = root["NameIDPolicy", AuthnRequests.Protocol];
        var context = root["RequestedAuthnContext", AuthnRequests.Protocol];
        string name;
        switch (choice)
        {
            case 0:
                root.SetAttribute("Destination", Pick(random, "https://evil.example/saml/sso", _destination + "/", _destination.ToUpperInvariant(), "")!);
                name = "destination";
                break;
            case 1:
                root.RemoveAttribute(Pick(random, "Destination", "ID", "Version", "IssueInstant")!);
                name = "attribute-removed";
                break;
            case 2:
                root.SetAttribute("AssertionConsumerServiceURL", Pick(random, TestServiceProvider.SecondAcs, "https://evil.example/acs", TestServiceProvider.Acs + "/", TestServiceProvider.Acs)!);
                root.RemoveAttribute("AssertionConsumerServiceIndex");
                name = "acs-url";
                break;
            case 3:
                root.RemoveAttribute("AssertionConsumerServiceURL");
                root.SetAttribute("AssertionConsumerServiceIndex", Pick(random, "0", "1", "7", "65536", "-1", "x")!);
                name = "acs-index";
                break;
            case 4:
                root.SetAttribute("ID", Pick(random, "_changed" + random.Next(1000), "1starts-with-digit", "", root.GetAttribute("ID") + "x")!);
                name = "id";
                break;
            case 5:
                var instant = DateTimeOffset.UtcNow.AddSeconds(Pick(random, -1, 1, -240, 240, -86400));
                root.SetAttribute("IssueInstant", Pick(random, instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture), "yesterday", "2026-13-01T00:00:00Z", instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture))!);
                name = "issue-instant";
                break;
            case 6:
                issuer.InnerText = Pick(random, "https://other.agency.example/saml", _sp.EntityId + ".evil", _sp.EntityId.ToUpperInvariant(), " " + _sp.EntityId + " ", "")!;
                name = "issuer";
                break;
            case 7:
                issuer.SetAttribute("Format", Pick(random, "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent", "urn:oasis:names:tc:SAML:2.0:nameid-format:entity")!);
                name = "issuer-format";
                break;
            case 8:
                // A comment splitting the Issuer: a first-text-node reader would read only the part before it.
                var text = issuer.InnerText;
                var cut = random.Next(1, Math.Max(2, text.Length));
                issuer.InnerText = "";
                issuer.AppendChild(document.CreateTextNode(text[..cut]));
                issuer.AppendChild(document.CreateComment("x"));
                issuer.AppendChild(document.CreateTextNode(random.Next(2) == 0 ? text[cut..] : ".attacker.example"));
                name = "issuer-comment";
                break;
            case 9:
                (policy ?? Append(root, "NameIDPolicy")).SetAttribute("Format", Pick(random, "urn:oasis:names:tc:SAML:2.0:nameid-format:transient", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress", "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent")!);
                name = "nameid-format";
                break;
            case 10:
                (policy ?? Append(root, "NameIDPolicy")).SetAttribute("AllowCreate", Pick(random, "false", "true", "maybe", "1", "0")!);
                name = "allow-create";
                break;
            case 11:
                root.SetAttribute("ForceAuthn", Pick(random, "true", "false", "1", "yes")!);
                name = "force-authn";
                break;
            case 12:
                root.SetAttribute("IsPassive", Pick(random, "true", "1", "false", "no")!);
                name = "is-passive";
                break;
            case 13:
                var classRef = context?["AuthnContextClassRef", AuthnRequests.Assertion];
                if (classRef is not null)
                {
                    classRef.InnerText = Pick(random, "http://eidas.europa.eu/LoA/high", "http://eidas.europa.eu/LoA/substantial", "http://eidas.europa.eu/LoA/low", "urn:oasis:names:tc:SAML:2.0:ac:classes:Password")!;
                }
                else
                {
                    root.AppendChild(document.CreateElement("samlp", "RequestedAuthnContext", AuthnRequests.Protocol))!
                        .AppendChild(document.CreateElement("saml", "AuthnContextClassRef", AuthnRequests.Assertion))!.InnerText = "http://eidas.europa.eu/LoA/high";
                }

                name = "authn-context";
                break;
            case 14:
                if (context is not null)
                {
                    context.SetAttribute("Comparison", Pick(random, "exact", "better", "maximum", "minimum", "most")!);
                }
                else
                {
                    root.SetAttribute("Comparison", "exact");
                }

                name = "comparison";
                break;
            case 15:
                root.SetAttribute("ProtocolBinding", Pick(random, "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact", "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect", "urn:oasis:names:tc:SAML:2.0:bindings:PAOS")!);
                name = "protocol-binding";
                break;
            case 16:
                root.SetAttribute("Version", Pick(random, "1.1", "2.1", "3.0", "")!);
                name = "version";
                break;
            case 17:
                var element = Pick(random, "Subject", "Scoping", "Conditions", "Unknown", "Issuer")!;
                var inserted = element is "Subject" or "Conditions" or "Issuer"
                    ? document.CreateElement("saml", element, AuthnRequests.Assertion)
                    : document.CreateElement("samlp", element, AuthnRequests.Protocol);
                inserted.InnerText = element == "Issuer" ? "https://other.agency.example/saml" : "";
                root.AppendChild(inserted);
                name = "element-" + element.ToLowerInvariant();
                break;
            case 18:
                root.SetAttribute(Pick(random, "Consent", "ProviderName", "AttributeConsumingServiceIndex", "foo")!, Pick(random, "x", "urn:oasis:names:tc:SAML:2.0:consent:obtained", "1")!);
                name = "attribute-added";
                break;
            case 19:
                // A second element carrying the root's ID: §1.3.4 requires IDs unique.
                var holder = Pick(random, "issuer", "extension", "xml-id")!;
                if (holder == "issuer")
                {
                    issuer.SetAttribute("ID", root.GetAttribute("ID"));
                }
                else if (holder == "extension")
                {
                    var note = document.CreateElement("x", "Note", "urn:test:ext");
                    note.SetAttribute("ID", root.GetAttribute("ID"));
                    Extensions(root).AppendChild(note);
                }
                else
                {
                    var xmlId = document.CreateAttribute("xml", "id", "http://www.w3.org/XML/1998/namespace");
                    xmlId.Value = root.GetAttribute("ID");
                    issuer.Attributes.Append(xmlId);
                }

                name = "duplicate-id-" + holder;
                break;
            case 20:
                var children = root.ChildNodes.OfType<XmlElement>().ToList();
                var target = children[random.Next(children.Count)];
                target.ParentNode!.InsertBefore(document.CreateComment("c"), target);
                name = "comment";
                break;
            case 21:
                root.InsertBefore(document.CreateProcessingInstruction("pi", "x"), root.FirstChild);
                name = "processing-instruction";
                break;
            case 22:
                var removable = root.ChildNodes.OfType<XmlElement>().Where(e => e.LocalName != "Signature").ToList();
                var gone = removable[random.Next(removable.Count)];
                root.RemoveChild(gone);
                name = "removed-" + gone.LocalName;
                break;
            case 23:
                root.AppendChild(issuer);
                name = "issuer-moved";
                break;
            case 24:
                Extensions(root).AppendChild(document.CreateElement("x", "Any", "urn:test:ext"))!.InnerText = "injected";
                name = "extension-content";
                break;
            default:
                // Whitespace between elements: significant to c14n, so a signature change.
                root.InsertBefore(document.CreateWhitespace("\n  "), issuer.NextSibling);
                name = "whitespace-text";
                break;
        }

        _ = signedPost;
        return (name, document.OuterXml);
    }

    private static XmlElement Extensions(XmlElement root)
    {
        if (root["Extensions", AuthnRequests.Protocol] is { } extensions)
        {
            return extensions;
        }

        var created = root.OwnerDocument.CreateElement("samlp", "Extensions", AuthnRequests.Protocol);
        var after = root.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == "Signature") ?? root["Issuer", AuthnRequests.Assertion];
        root.InsertAfter(created, after);
        return created;
    }

    private static XmlElement Append(XmlElement root, string localName) =>
        (XmlElement)root.AppendChild(root.OwnerDocument.CreateElement("samlp", localName, AuthnRequests.Protocol))!;

    // ---- Bytes and text --------------------------------------------------------------------------------------------

    private static (string, byte[]) MutateBytes(Random random, byte[] input)
    {
        var bytes = (byte[])input.Clone();
        switch (random.Next(4))
        {
            case 0:
                bytes[random.Next(bytes.Length)] ^= (byte)(1 << random.Next(8));
                return ("bitflip", bytes);
            case 1:
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                return ("byte", bytes);
            case 2:
                return ("truncated", bytes[..random.Next(bytes.Length)]);
            default:
                var insert = new byte[1 + random.Next(8)];
                random.NextBytes(insert);
                var at = random.Next(bytes.Length + 1);
                return ("inserted", [.. bytes[..at], .. insert, .. bytes[at..]]);
        }
    }

    private static (string, string) MutateBase64Text(Random random, string text)
    {
        var at = random.Next(text.Length);
        switch (random.Next(4))
        {
            case 0:
                return ("char", text[..at] + Base64Alphabet[random.Next(Base64Alphabet.Length)] + text[(at + 1)..]);
            case 1:
                return ("junk-char", text[..at] + Pick(random, "%", "!", "-", "_", ".", "*", "\u00e9") + text[(at + 1)..]);
            case 2:
                return ("truncated", text[..at]);
            default:
                return ("inserted", text[..at] + RandomText(random, 1 + random.Next(6), Base64Alphabet) + text[at..]);
        }
    }

    private static string Reencode(Random random, string raw)
    {
        if (random.Next(2) == 0 && raw.Contains('%', StringComparison.Ordinal))
        {
            return LowerCaseEscapes(raw);
        }

        // Escape a character that needed none ("A" as %41): the same decoded value, other octets.
        var at = raw.IndexOfAny([.. "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"]);
        return at < 0 ? raw + "%20" : raw[..at] + "%" + ((int)raw[at]).ToString("X2", System.Globalization.CultureInfo.InvariantCulture) + raw[(at + 1)..];
    }

    private static string LowerCaseEscapes(string raw)
    {
        var result = new StringBuilder(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            if (raw[i] == '%' && i + 2 < raw.Length)
            {
                result.Append('%').Append(char.ToLowerInvariant(raw[i + 1])).Append(char.ToLowerInvariant(raw[i + 2]));
                i += 2;
            }
            else
            {
                result.Append(raw[i]);
            }
        }

        return result.ToString();
    }

    private static string RandomText(Random random, int length, string alphabet) =>
        new([.. Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)])]);

    private static T? Pick<T>(Random random, params T?[] choices) => choices[random.Next(choices.Length)];
}
