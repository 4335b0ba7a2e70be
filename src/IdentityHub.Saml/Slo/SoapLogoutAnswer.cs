using System.Security.Cryptography.X509Certificates;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Validation;

namespace IdentityHub.Saml.Slo;

/// <summary>What an SP's answer to a LogoutRequest over SOAP means for its delivery.</summary>
/// <param name="Confirmed">The SP answered Success (and nothing under it): its session for the citizen is over.</param>
/// <param name="Status">The SAML status the SP answered with (top-level, then second-level, space-separated).</param>
/// <param name="Error">Why the answer does not confirm; null when it does.</param>
/// <param name="Final">The SP refused in SAML terms: asking again would get the same answer.</param>
internal sealed record SoapLogoutOutcome(bool Confirmed, string? Status, string? Error, bool Final)
{
    public static SoapLogoutOutcome Failed(string error) => new(false, null, error, false);
}

/// <summary>
/// Checks an SP's SOAP answer to the hub's LogoutRequest (saml-profiles-2.0-os §4.4.4.2) as strictly as a front-channel
/// LogoutResponse: one samlp:LogoutResponse in the Body; a signature, when there is one, verified with the SP's registered
/// certificates only and covering the whole response (an unsigned answer is authenticated by the channel: the hub called
/// the SP's registered https endpoint itself, §4.4.4.2 allows either); the reader's schema, version and IssueInstant
/// checks; Issuer the SP; InResponseTo the request just sent. Only Success confirms.
/// </summary>
internal static class SoapLogoutAnswer
{
    public static SoapLogoutOutcome Check(
        byte[] answer, string spEntityId, IReadOnlyList<X509Certificate2> spCertificates, string requestId, DateTimeOffset now, TimeSpan skew, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var body = SoapBinding.Read(answer, maxBytes);
        if (body.Message is not { } document)
        {
            return SoapLogoutOutcome.Failed(body.Fault ?? body.Problem!);
        }

        // Anything but a samlp:LogoutResponse is refused by the reader below (MessageHeader checks the root's name).
        var root = document.DocumentElement!;
        var signature = SignatureVerifier.Verify(new ReceivedMessage(SamlBindings.Soap, document, root, null, null), spCertificates);
        if (!signature.Succeeded)
        {
            return SoapLogoutOutcome.Failed(signature.Problem!.Detail);
        }

        var (response, problem) = LogoutResponseReader.Read(signature.VerifiedRoot ?? root, now, skew);
        if (response is null)
        {
            return SoapLogoutOutcome.Failed(problem!.Detail);
        }

        if (!string.Equals(response.Issuer, spEntityId, StringComparison.Ordinal))
        {
            return SoapLogoutOutcome.Failed("The LogoutResponse's Issuer is not the service provider the request went to.");
        }

        if (!string.Equals(response.InResponseTo, requestId, StringComparison.Ordinal))
        {
            return SoapLogoutOutcome.Failed("The LogoutResponse does not answer the request just sent (InResponseTo).");
        }

        var status = response.SecondLevelStatusCode is { } second ? response.StatusCode + " " + second : response.StatusCode;
        return response.StatusCode == SamlStatus.Success && response.SecondLevelStatusCode is null
            ? new SoapLogoutOutcome(true, status, null, false)
            : new SoapLogoutOutcome(false, status, "The service provider answered " + status + ".", true);
    }
}
