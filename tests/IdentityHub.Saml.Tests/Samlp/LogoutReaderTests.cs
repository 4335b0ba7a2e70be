using System.Xml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Samlp;
using IdentityHub.Saml.Tests.Inbound;

namespace IdentityHub.Saml.Tests.Samlp;

/// <summary>Rules 7 and 8 for samlp:LogoutRequest and samlp:LogoutResponse (saml-core-2.0-os §3.7).</summary>
public sealed class LogoutReaderTests
{
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(3);

    private static XmlElement Root(string xml, Action<XmlDocument, XmlNamespaceManager>? change = null)
    {
        XmlDocument document = SampleMessages.Parse(xml);
        change?.Invoke(document, SampleMessages.Namespaces(document));
        return document.DocumentElement!;
    }

    [Fact]
    public void A_signed_LogoutRequest_is_read_with_its_NameID_and_session_indexes()
    {
        (XmlElement? root, SamlProblem? verifyProblem) = InboundPipeline.PostAndVerify(TestSigner.Sign(SampleMessages.LogoutRequest(), TestKeys.SpRsa));
        Assert.Null(verifyProblem);

        (LogoutRequestMessage? request, SamlProblem? problem) = LogoutRequestReader.Read(root!, DateTimeOffset.UtcNow, Skew);

        Assert.Null(problem);
        Assert.Equal("_lo1", request!.Id);
        Assert.Equal(SampleMessages.SpEntityId, request.Issuer);
        Assert.Equal(new SamlNameId("user@agency.test", SamlNameIdFormats.Persistent, "https://hub.test", SampleMessages.SpEntityId), request.NameId);
        Assert.Equal(["s-1", "s-2"], request.SessionIndexes);
        Assert.Null(request.NotOnOrAfter);
    }

    [Fact]
    public void A_LogoutRequest_without_NameID_is_refused()
    {
        XmlElement root = Root(SampleMessages.LogoutRequest(), (d, ns) => d.DocumentElement!.RemoveChild(d.SelectSingleNode("//saml:NameID", ns)!));

        Assert.Equal(SamlProblemCodes.Schema, LogoutRequestReader.Read(root, DateTimeOffset.UtcNow, Skew).Problem?.Code);
    }

    [Fact]
    public void An_EncryptedID_is_RequestUnsupported()
    {
        XmlElement root = Root(SampleMessages.LogoutRequest(), (d, ns) =>
        {
            XmlNode nameId = d.SelectSingleNode("//saml:NameID", ns)!;
            d.DocumentElement!.ReplaceChild(d.CreateElement("saml", "EncryptedID", SamlNames.Assertion), nameId);
        });

        SamlProblem? problem = LogoutRequestReader.Read(root, DateTimeOffset.UtcNow, Skew).Problem;

        Assert.Equal(SamlStatus.Requester, problem?.StatusCode);
        Assert.Equal(SamlStatus.RequestUnsupported, problem?.SecondLevelStatusCode);
    }

    [Fact]
    public void A_LogoutRequest_past_its_NotOnOrAfter_is_expired_and_one_before_it_read()
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        XmlElement root = Root(SampleMessages.LogoutRequest(), (d, _) => d.DocumentElement!.SetAttribute("NotOnOrAfter", now.AddSeconds(30).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(SamlProblemCodes.Expired, LogoutRequestReader.Read(root, now.AddMinutes(3).AddSeconds(31), TimeSpan.FromMinutes(3)).Problem?.Code);
        Assert.NotNull(LogoutRequestReader.Read(root, now, Skew).Request?.NotOnOrAfter);
    }

    [Fact]
    public void A_LogoutRequest_with_an_old_IssueInstant_is_expired()
    {
        Assert.Equal(SamlProblemCodes.Expired, LogoutRequestReader.Read(Root(SampleMessages.LogoutRequest()), DateTimeOffset.UtcNow.AddHours(1), Skew).Problem?.Code);
    }

    [Fact]
    public void A_LogoutRequest_with_version_1_1_is_a_VersionMismatch()
    {
        XmlElement root = Root(SampleMessages.LogoutRequest(), (d, _) => d.DocumentElement!.SetAttribute("Version", "1.1"));

        Assert.Equal(SamlStatus.VersionMismatch, LogoutRequestReader.Read(root, DateTimeOffset.UtcNow, Skew).Problem?.StatusCode);
    }

    [Fact]
    public void A_signed_LogoutResponse_is_read_with_its_two_status_levels()
    {
        (XmlElement? root, SamlProblem? verifyProblem) = InboundPipeline.PostAndVerify(TestSigner.Sign(SampleMessages.LogoutResponse(), TestKeys.SpRsa));
        Assert.Null(verifyProblem);

        (LogoutResponseMessage? response, SamlProblem? problem) = LogoutResponseReader.Read(root!, DateTimeOffset.UtcNow, Skew);

        Assert.Null(problem);
        Assert.Equal("_hub42", response!.InResponseTo);
        Assert.Equal(SamlStatus.Responder, response.StatusCode);
        Assert.Equal(SamlStatus.PartialLogout, response.SecondLevelStatusCode);
        Assert.Equal(SampleMessages.SpEntityId, response.Issuer);
    }

    [Fact]
    public void A_LogoutResponse_without_Status_is_refused()
    {
        XmlElement root = Root(SampleMessages.LogoutResponse(), (d, ns) => d.DocumentElement!.RemoveChild(d.SelectSingleNode("//samlp:Status", ns)!));

        Assert.Equal(SamlProblemCodes.Schema, LogoutResponseReader.Read(root, DateTimeOffset.UtcNow, Skew).Problem?.Code);
    }

    [Fact]
    public void A_LogoutResponse_StatusCode_without_Value_is_refused()
    {
        XmlElement root = Root(SampleMessages.LogoutResponse(), (d, ns) => ((XmlElement)d.SelectSingleNode("//samlp:Status/samlp:StatusCode", ns)!).RemoveAttribute("Value"));

        Assert.Equal(SamlProblemCodes.Schema, LogoutResponseReader.Read(root, DateTimeOffset.UtcNow, Skew).Problem?.Code);
    }

    [Fact]
    public void A_LogoutRequest_is_not_read_as_a_LogoutResponse()
    {
        Assert.Equal(SamlProblemCodes.Schema, LogoutResponseReader.Read(Root(SampleMessages.LogoutRequest()), DateTimeOffset.UtcNow, Skew).Problem?.Code);
    }
}
