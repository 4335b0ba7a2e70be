using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Xml;
using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Validation.Xades;

/// <summary>The outcome of one ds:Reference (XMLDSig §3.2.1 reference validation).</summary>
/// <param name="Target">The element the reference resolved to (for same-document references), so callers can check it is the one they read.</param>
/// <param name="Unsupported">A transform or URI form this reader does not implement: the structure, not the data, is the problem.</param>
internal sealed record ReferenceOutcome(string Label, bool Found, bool Intact, string? Problem, XmlElement? Target, bool Unsupported, bool WholeDocument);

/// <summary>
/// Dereferences a ds:Reference and applies its transforms without ever fetching anything (XMLDSig §4.4.3.3 same-document
/// URIs; anything else is looked up only among the detached contents given by the caller). Supported transforms are the
/// ones baseline XAdES uses: enveloped-signature, the XPath filter not(ancestor-or-self::ds:Signature), and a final
/// canonicalization; anything else (XSLT, arbitrary XPath, base64 …) is reported as unsupported rather than guessed.
/// </summary>
internal sealed partial class ReferenceProcessor(XmlDocument document, XmlElement signature, IdIndex ids, IReadOnlyList<SignedFile> detached, long maxCharacters)
{
    // XmlNamespaceManager and its NameTable are not safe to share between concurrent validations: one per use.
    private static XmlNamespaceManager Namespaces => CreateNamespaces();

    public ReferenceOutcome Verify(XmlElement reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        string label = Label(reference);
        HashAlgorithmName? digest = XmlDsigAlgorithms.Digest(reference.SelectSingleNode("ds:DigestMethod/@Algorithm", Namespaces)?.Value);
        if (digest is null)
        {
            return new(label, false, false, $"reference {label}: unsupported or missing DigestMethod", null, true, false);
        }

        byte[] expected;
        try
        {
            expected = Convert.FromBase64String(reference.SelectSingleNode("ds:DigestValue", Namespaces)?.InnerText ?? string.Empty);
        }
        catch (FormatException)
        {
            return new(label, true, false, $"reference {label}: DigestValue is not base64", null, false, false);
        }

        Dereferenced result = Dereference(reference, XmlDsig.C14N);
        if (result.Octets is null)
        {
            return new(label, false, false, $"reference {label}: {result.Problem}", result.Target, result.Unsupported, result.WholeDocument);
        }

        bool intact = CryptographicOperations.FixedTimeEquals(XmlDsigAlgorithms.Hash(digest.Value, result.Octets), expected);
        return new(label, true, intact, intact ? null : $"reference {label}: digest does not match", result.Target, false, result.WholeDocument);
    }

    /// <summary>
    /// The octets a reference's digest is computed over. <paramref name="nodeSetCanonicalization"/> turns a node-set
    /// result into octets when the transforms end without a canonicalization: Canonical XML 1.0 for the reference digest
    /// (XMLDSig §4.4.3.2), the archive time-stamp's own method for its input (EN 319 132-1 §5.5.2).
    /// </summary>
    public Dereferenced Dereference(XmlElement reference, string nodeSetCanonicalization)
    {
        ArgumentNullException.ThrowIfNull(reference);
        List<XmlElement> transforms = [.. reference.SelectNodes("ds:Transforms/ds:Transform", Namespaces)!.OfType<XmlElement>()];
        for (int i = 0; i < transforms.Count; i++)
        {
            string algorithm = transforms[i].GetAttribute("Algorithm");
            bool known = algorithm == XmlDsig.EnvelopedSignature
                || (algorithm == XmlDsig.XPath && IsNotSignatureFilter(transforms[i]))
                || (XmlDsig.IsCanonicalization(algorithm) && i == transforms.Count - 1);
            if (!known)
            {
                return Dereferenced.Unresolved($"unsupported transform {algorithm}", unsupported: true);
            }
        }

        bool removeThis = transforms.Exists(t => t.GetAttribute("Algorithm") == XmlDsig.EnvelopedSignature);
        bool removeAll = transforms.Exists(t => t.GetAttribute("Algorithm") == XmlDsig.XPath);
        XmlElement? last = transforms.Count > 0 ? transforms[^1] : null;
        string canonicalization = last is not null && XmlDsig.IsCanonicalization(last.GetAttribute("Algorithm")) ? last.GetAttribute("Algorithm") : nodeSetCanonicalization;
        string? prefixes = (last?.SelectSingleNode("ec:InclusiveNamespaces/@PrefixList", Namespaces))?.Value;

        if (!reference.HasAttribute("URI") || (!reference.GetAttribute("URI").StartsWith('#') && reference.GetAttribute("URI").Length > 0))
        {
            return DereferenceDetached(reference, removeThis || removeAll, last is not null, canonicalization, prefixes);
        }

        string uri = reference.GetAttribute("URI");
        XmlNode? target;
        bool keepComments;
        if (uri.Length == 0 || uri == "#xpointer(/)")
        {
            // "" is the whole document without comments; #xpointer(/) keeps them (XMLDSig §4.4.3.3).
            target = document;
            keepComments = uri.Length > 0;
        }
        else
        {
            Match xpointer = XPointerId().Match(uri);
            string id = xpointer.Success ? xpointer.Groups["id"].Value : uri[1..];
            if (!xpointer.Success && (uri.StartsWith("#xpointer(", StringComparison.Ordinal) || id.Length == 0))
            {
                return Dereferenced.Unresolved($"unsupported URI {uri}", unsupported: true);
            }

            target = ids.Find(id, out string? problem);
            if (target is null)
            {
                return Dereferenced.Unresolved(problem!, unsupported: false);
            }

            keepComments = xpointer.Success;
        }

        XmlElement? resolved = target as XmlElement;
        if (removeThis || removeAll)
        {
            target = WithoutSignatures(target, removeThis, removeAll);
        }

        byte[] octets = XmlCanonicalizer.Canonicalize(target, canonicalization, prefixes, keepComments);
        return new Dereferenced(octets, null, resolved, false, target is XmlDocument);
    }

    private Dereferenced DereferenceDetached(XmlElement reference, bool removes, bool hasTransforms, string canonicalization, string? prefixes)
    {
        SignedFile? file;
        if (!reference.HasAttribute("URI"))
        {
            // A reference without URI: the application supplies the one data object (XMLDSig §4.4.3.1).
            file = detached.Count == 1 ? detached[0] : null;
        }
        else
        {
            string name = Uri.UnescapeDataString(reference.GetAttribute("URI"));
            file = detached.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.Ordinal));
        }

        if (file is null)
        {
            string what = reference.HasAttribute("URI") ? $"\"{reference.GetAttribute("URI")}\"" : "(no URI)";
            return Dereferenced.Unresolved($"detached content {what} was not supplied (nothing is fetched)", unsupported: false);
        }

        if (!hasTransforms)
        {
            return new Dereferenced(file.Content.ToArray(), null, null, false, false);
        }

        if (removes)
        {
            return Dereferenced.Unresolved("signature-removing transforms over detached content", unsupported: true);
        }

        // A canonicalization over octets parses them as XML first (XMLDSig §4.4.3.2), with the same hostile-input rules.
        XmlDocument parsed;
        try
        {
            parsed = SafeXml.Load(file.Content, maxCharacters);
        }
        catch (DocumentRejectedException ex)
        {
            return Dereferenced.Unresolved($"detached content \"{file.Name}\" cannot be canonicalized ({ex.Code})", unsupported: false);
        }

        return new Dereferenced(XmlCanonicalizer.Canonicalize(parsed, canonicalization, prefixes), null, null, false, false);
    }

    /// <summary>
    /// A copy of the document with this signature (enveloped-signature transform, XMLDSig §6.6.4) or every ds:Signature
    /// (the XPath filter) removed, returning the copy of the referenced node. The original is never changed.
    /// </summary>
    private XmlNode WithoutSignatures(XmlNode target, bool removeThis, bool removeAll)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        XmlNode copiedTarget = NodePath.Follow(copy, NodePath.Of(target));
        var removals = new List<XmlNode>();
        if (removeAll)
        {
            removals.AddRange(copiedTarget.SelectNodes("descendant::ds:Signature", Namespaces)!.OfType<XmlNode>());
        }

        if (removeThis)
        {
            removals.Add(NodePath.Follow(copy, NodePath.Of(signature)));
        }

        foreach (XmlNode node in removals.Distinct())
        {
            if (IsInside(node, copiedTarget))
            {
                node.ParentNode!.RemoveChild(node);
            }
        }

        return copiedTarget;
    }

    private static bool IsInside(XmlNode node, XmlNode container)
    {
        for (XmlNode? n = node.ParentNode; n is not null; n = n.ParentNode)
        {
            if (n == container)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The XPath filter XAdES signers use for enveloped signatures; no other XPath is evaluated.</summary>
    private static bool IsNotSignatureFilter(XmlElement transform)
    {
        XmlNode? xpath = transform.SelectSingleNode("ds:XPath", Namespaces);
        if (xpath is not XmlElement element)
        {
            return false;
        }

        Match match = NotSignature().Match(string.Concat(element.InnerText.Where(c => !char.IsWhiteSpace(c))));
        return match.Success && element.GetNamespaceOfPrefix(match.Groups["p"].Value) == XmlDsig.Namespace;
    }

    private static string Label(XmlElement reference) =>
        reference.HasAttribute("URI") ? $"\"{reference.GetAttribute("URI")}\"" : reference.HasAttribute("Id") ? $"{reference.GetAttribute("Id")} (no URI)" : "(no URI)";

    private static XmlNamespaceManager CreateNamespaces()
    {
        var manager = new XmlNamespaceManager(new NameTable());
        manager.AddNamespace("ds", XmlDsig.Namespace);
        manager.AddNamespace("ec", XmlDsig.ExcC14N);
        return manager;
    }

    [GeneratedRegex("""^#xpointer\(id\((?:'(?<id>[^']+)'|"(?<id>[^"]+)")\)\)$""")]
    private static partial Regex XPointerId();

    [GeneratedRegex(@"^not\(ancestor-or-self::(?<p>[A-Za-z_][\w.-]*):Signature\)$")]
    private static partial Regex NotSignature();
}

/// <summary>Dereferenced reference data: the octets to digest, or why there are none.</summary>
internal sealed record Dereferenced(byte[]? Octets, string? Problem, XmlElement? Target, bool Unsupported, bool WholeDocument)
{
    public static Dereferenced Unresolved(string problem, bool unsupported) => new(null, problem, null, unsupported, false);
}
