using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Bindings;

/// <summary>
/// Reads a SAML message from the HTTP-Redirect (saml-bindings-2.0-os §3.4) or HTTP-POST (§3.5) binding into a safely
/// parsed document. It verifies nothing: <see cref="SignatureVerifier"/> does, and protocol readers read only what it verified.
/// Every refusal is a <see cref="SamlProblem"/>; nothing is thrown to the caller.
/// </summary>
internal static class SamlMessageReader
{
    private const string RelayStateParameter = "RelayState";
    private const string SigAlgParameter = "SigAlg";
    private const string SignatureParameter = "Signature";
    private const string EncodingParameter = "SAMLEncoding";

    public static SamlReadResult ReadRedirect(string rawQuery, string messageParameter, int maxMessageBytes)
    {
        try
        {
            return ReadRedirectCore(rawQuery ?? string.Empty, messageParameter, maxMessageBytes);
        }
        catch (Exception ex) when (ex is XmlException or CryptographicException or FormatException or InvalidDataException)
        {
            return SamlReadResult.Refused(SamlProblem.Requester(SamlProblemCodes.Malformed, "The message could not be read."));
        }
    }

    public static SamlReadResult ReadPost(string? base64Message, string? relayState, int maxMessageBytes)
    {
        try
        {
            return ReadPostCore(base64Message, relayState, maxMessageBytes);
        }
        catch (Exception ex) when (ex is XmlException or CryptographicException or FormatException or InvalidDataException)
        {
            return SamlReadResult.Refused(SamlProblem.Requester(SamlProblemCodes.Malformed, "The message could not be read."));
        }
    }

    private static SamlReadResult ReadRedirectCore(string rawQuery, string messageParameter, int maxMessageBytes)
    {
        (RedirectQuery? query, string? duplicate) = RedirectQuery.Parse(rawQuery);
        if (query is null)
        {
            // §3.4.4.1 signs one value per parameter; a repeated one lets the signed and the read value differ.
            return Refuse(SamlProblemCodes.DuplicateParameter, $"The query repeats the parameter {Printable(duplicate)}.");
        }

        string otherParameter = messageParameter == "SAMLRequest" ? "SAMLResponse" : "SAMLRequest";
        string? rawMessage = query.Raw(messageParameter);
        if (string.IsNullOrEmpty(rawMessage) || query.Raw(otherParameter) is not null)
        {
            return Refuse(SamlProblemCodes.MissingMessage, $"The query must carry exactly one message, in {messageParameter}.");
        }

        if (rawMessage.Length > maxMessageBytes)
        {
            return Refuse(SamlProblemCodes.TooLarge, "The message is larger than the hub accepts.");
        }

        // §3.4.4.1: DEFLATE is the only encoding defined; SAMLEncoding absent means DEFLATE.
        string? encoding = query.Decoded(EncodingParameter);
        if (encoding is not null && encoding != SamlBindings.DeflateEncoding)
        {
            return Refuse(SamlProblemCodes.UnsupportedEncoding, "Only the DEFLATE URL encoding is supported.");
        }

        string? relayState = query.Decoded(RelayStateParameter);
        if (RelayStateTooLong(relayState))
        {
            return Refuse(SamlProblemCodes.RelayStateTooLong, "RelayState is longer than the 80 bytes the binding allows.");
        }

        if (RelayStateHasControlCharacters(relayState))
        {
            return Refuse(SamlProblemCodes.RelayStateInvalid, "RelayState must not contain control characters.");
        }

        if (!TryBase64(query.Decoded(messageParameter)!, out byte[] deflated))
        {
            return Refuse(SamlProblemCodes.BadBase64, "The message is not valid base64.");
        }

        (byte[]? xml, bool tooLarge) = BoundedInflater.Inflate(deflated, maxMessageBytes);
        if (tooLarge)
        {
            return Refuse(SamlProblemCodes.TooLarge, "The inflated message is larger than the hub accepts.");
        }

        if (xml is null)
        {
            return Refuse(SamlProblemCodes.NotDeflated, "The message is not raw DEFLATE data.");
        }

        (XmlDocument? document, SamlProblem? problem) = SafeXml.Read(xml, maxMessageBytes);
        if (document is null)
        {
            return SamlReadResult.Refused(problem!);
        }

        // §3.4.4.1: any signature on the XML must be removed before the message is encoded; one left in it is a message
        // built to be read one way and verified another.
        if (document.GetElementsByTagName("Signature", SamlNames.XmlDsig).Count > 0)
        {
            return Refuse(SamlProblemCodes.SignatureInRedirect, "An HTTP-Redirect message must not carry an XML signature.");
        }

        (RedirectSignature? signature, SamlProblem? signatureProblem) = QuerySignature(query, messageParameter, rawMessage);
        if (signatureProblem is not null)
        {
            return SamlReadResult.Refused(signatureProblem);
        }

        return new SamlReadResult(new ReceivedMessage(SamlBindings.HttpRedirect, document, document.DocumentElement!, relayState, signature), null);
    }

    /// <summary>
    /// §3.4.4.1: the signature covers "SAMLRequest=value&amp;RelayState=value&amp;SigAlg=value" (or SAMLResponse), each value
    /// as URL-encoded in the query received, RelayState left out when absent.
    /// </summary>
    private static (RedirectSignature? Signature, SamlProblem? Problem) QuerySignature(RedirectQuery query, string messageParameter, string rawMessage)
    {
        string? rawSigAlg = query.Raw(SigAlgParameter);
        string? signatureValue = query.Decoded(SignatureParameter);
        if (rawSigAlg is null && signatureValue is null)
        {
            return (null, null);
        }

        if (rawSigAlg is null || string.IsNullOrEmpty(signatureValue))
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.IncompleteSignature, "Signature and SigAlg must be sent together."));
        }

        if (!TryBase64(signatureValue, out byte[] signature))
        {
            return (null, SamlProblem.Requester(SamlProblemCodes.BadBase64, "The Signature parameter is not valid base64."));
        }

        var octets = new StringBuilder(messageParameter).Append('=').Append(rawMessage);
        if (query.Raw(RelayStateParameter) is { } rawRelayState)
        {
            octets.Append('&').Append(RelayStateParameter).Append('=').Append(rawRelayState);
        }

        octets.Append('&').Append(SigAlgParameter).Append('=').Append(rawSigAlg);
        string sigAlg = query.Decoded(SigAlgParameter)!;
        return (new RedirectSignature(sigAlg, signature, Encoding.ASCII.GetBytes(octets.ToString())), null);
    }

    private static SamlReadResult ReadPostCore(string? base64Message, string? relayState, int maxMessageBytes)
    {
        if (string.IsNullOrEmpty(base64Message))
        {
            return Refuse(SamlProblemCodes.MissingMessage, "The form carries no SAML message.");
        }

        // The size as received is capped before anything is decoded (the decoded size is then smaller still).
        if (base64Message.Length > maxMessageBytes)
        {
            return Refuse(SamlProblemCodes.TooLarge, "The message is larger than the hub accepts.");
        }

        if (RelayStateTooLong(relayState))
        {
            return Refuse(SamlProblemCodes.RelayStateTooLong, "RelayState is longer than the 80 bytes the binding allows.");
        }

        if (RelayStateHasControlCharacters(relayState))
        {
            return Refuse(SamlProblemCodes.RelayStateInvalid, "RelayState must not contain control characters.");
        }

        if (!TryBase64(base64Message, out byte[] xml))
        {
            return Refuse(SamlProblemCodes.BadBase64, "The message is not valid base64.");
        }

        (XmlDocument? document, SamlProblem? problem) = SafeXml.Read(xml, maxMessageBytes);
        return document is null
            ? SamlReadResult.Refused(problem!)
            : new SamlReadResult(new ReceivedMessage(SamlBindings.HttpPost, document, document.DocumentElement!, relayState, null), null);
    }

    /// <summary>
    /// RelayState is stored with the pending request and echoed in an HTML form: a NUL cannot be stored in PostgreSQL text
    /// (it was a 500) and no control character belongs in an opaque token a browser carries.
    /// </summary>
    private static bool RelayStateHasControlCharacters(string? relayState) => relayState is not null && relayState.Any(char.IsControl);

    /// <summary>§3.4.3 and §3.5.3: RelayState MUST NOT exceed 80 bytes.</summary>
    private static bool RelayStateTooLong(string? relayState) =>
        relayState is not null && Encoding.UTF8.GetByteCount(relayState) > SamlBindings.MaxRelayStateBytes;

    private static bool TryBase64(string value, out byte[] bytes)
    {
        // Line breaks are tolerated (some SPs wrap base64 at 76 columns); anything else outside the alphabet is not.
        string compact = value.Replace("\r", string.Empty, StringComparison.Ordinal).Replace("\n", string.Empty, StringComparison.Ordinal);
        bytes = new byte[compact.Length * 3 / 4 + 3];
        if (compact.Length == 0 || compact.Contains(' ', StringComparison.Ordinal) || !Convert.TryFromBase64String(compact, bytes, out int written))
        {
            bytes = [];
            return false;
        }

        bytes = bytes[..written];
        return true;
    }

    private static string Printable(string? name) =>
        name is null ? "(unnamed)" : name.Length > 32 || name.Any(char.IsControl) ? "(unprintable)" : name;

    private static SamlReadResult Refuse(string code, string detail) => SamlReadResult.Refused(SamlProblem.Requester(code, detail));
}
