using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Validation;

/// <summary>
/// Verifies a received message's signature with the registered service provider's certificates only: never a key the
/// message brings (KeyInfo is ignored), never a signature that covers anything but the whole message.
/// </summary>
internal static class SignatureVerifier
{
    public static SignatureCheck Verify(ReceivedMessage message, IReadOnlyList<X509Certificate2> trustedCertificates)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(trustedCertificates);
        try
        {
            return message.Binding == SamlBindings.HttpRedirect ? VerifyRedirect(message, trustedCertificates) : VerifyEnveloped(message, trustedCertificates);
        }
        catch (Exception ex) when (ex is CryptographicException or XmlException or FormatException)
        {
            return SignatureCheck.Refused(SamlProblemCodes.BadSignature, "The signature could not be verified.");
        }
    }

    /// <summary>saml-bindings-2.0-os §3.4.4.1: the Signature parameter over the signed octets, with the SigAlg algorithm.</summary>
    private static SignatureCheck VerifyRedirect(ReceivedMessage message, IReadOnlyList<X509Certificate2> trusted)
    {
        if (message.Document.GetElementsByTagName("Signature", SamlNames.XmlDsig).Count > 0)
        {
            return SignatureCheck.Refused(SamlProblemCodes.SignatureInRedirect, "An HTTP-Redirect message must not carry an XML signature.");
        }

        if (message.QuerySignature is not { } signature)
        {
            return SignatureCheck.Unsigned;
        }

        if (!SamlAlgorithms.AcceptedSignatureMethods.Contains(signature.SigAlg))
        {
            return SignatureCheck.Refused(SamlProblemCodes.AlgorithmNotAllowed, "The SigAlg is not one the hub accepts.");
        }

        HashAlgorithmName hash = HashOf(signature.SigAlg);
        bool ecdsa = signature.SigAlg.Contains("ecdsa", StringComparison.Ordinal);
        foreach (X509Certificate2 certificate in trusted)
        {
            if (ecdsa ? VerifyEcdsa(certificate, signature, hash) : VerifyRsa(certificate, signature, hash))
            {
                return new SignatureCheck(true, message.Root, null);
            }
        }

        return SignatureCheck.Refused(SamlProblemCodes.BadSignature, "The signature does not verify with the service provider's certificates.");
    }

    private static bool VerifyRsa(X509Certificate2 certificate, RedirectSignature signature, HashAlgorithmName hash)
    {
        using RSA? key = certificate.GetRSAPublicKey();
        return key is not null && key.VerifyData(signature.SignedOctets, signature.Signature, hash, RSASignaturePadding.Pkcs1);
    }

    /// <summary>
    /// The bindings spec says only that the signature is computed with the SigAlg algorithm. XML DSig's ECDSA
    /// SignatureValue is IEEE P1363 r‖s (RFC 4050 §3.3, RFC 6931), which most SPs reuse for Redirect, but some
    /// (those signing with an ASN.1-minded crypto API such as Java's SHA256withECDSA) send the DER SEQUENCE. Both encode
    /// the same (r, s) over the same octets, so accepting either adds no forgery.
    /// </summary>
    private static bool VerifyEcdsa(X509Certificate2 certificate, RedirectSignature signature, HashAlgorithmName hash)
    {
        using ECDsa? key = certificate.GetECDsaPublicKey();
        return key is not null
            && (key.VerifyData(signature.SignedOctets, signature.Signature, hash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
                || key.VerifyData(signature.SignedOctets, signature.Signature, hash, DSASignatureFormat.Rfc3279DerSequence));
    }

    /// <summary>saml-bindings-2.0-os §3.5.4 and saml-core-2.0-os §5.4: the root's own enveloped signature.</summary>
    private static SignatureCheck VerifyEnveloped(ReceivedMessage message, IReadOnlyList<X509Certificate2> trusted)
    {
        (XmlElement? signatureElement, SamlProblem? problem) = EnvelopedSignatureShape.Check(message.Root);
        if (problem is not null)
        {
            return new SignatureCheck(false, null, problem);
        }

        if (signatureElement is null)
        {
            return SignatureCheck.Unsigned;
        }

        Signing.XmlDsigEcdsa.Register();
        string method = signatureElement["SignedInfo", SamlNames.XmlDsig]!["SignatureMethod", SamlNames.XmlDsig]!.GetAttribute("Algorithm");
        bool ecdsa = method.Contains("ecdsa", StringComparison.Ordinal);
        foreach (X509Certificate2 certificate in trusted)
        {
            using AsymmetricAlgorithm? key = ecdsa ? certificate.GetECDsaPublicKey() : certificate.GetRSAPublicKey();
            if (key is null)
            {
                continue;
            }

            var signedXml = new RootOnlySignedXml(message.Document);
            signedXml.LoadXml(signatureElement);

            // CheckSignature(key): the trusted key only; KeyInfo in the message is never consulted.
            // Then the element the Reference resolved to must be the root itself (reference equality), so what was
            // verified is exactly what the protocol readers will read.
            if (signedXml.CheckSignature(key) && ReferenceEquals(signedXml.ResolvedElement, message.Root))
            {
                return new SignatureCheck(true, message.Root, null);
            }
        }

        return SignatureCheck.Refused(SamlProblemCodes.BadSignature, "The signature does not verify with the service provider's certificates.");
    }

    private static HashAlgorithmName HashOf(string method) => method switch
    {
        SamlAlgorithms.RsaSha384 or SamlAlgorithms.EcdsaSha384 => HashAlgorithmName.SHA384,
        SamlAlgorithms.RsaSha512 or SamlAlgorithms.EcdsaSha512 => HashAlgorithmName.SHA512,
        _ => HashAlgorithmName.SHA256,
    };
}
