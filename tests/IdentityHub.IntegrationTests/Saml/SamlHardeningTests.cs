using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Text;
using System.Xml;
using IdentityHub.IntegrationTests.Infrastructure;
using IdentityHub.Saml.Tests.Inbound;
using IdentityHub.Testing.Saml;

namespace IdentityHub.IntegrationTests.Saml;

/// <summary>
/// The IdP's hardening lines at the endpoint: each attack is built by changing a validly signed AuthnRequest, sent over
/// HTTP to the running hub's /saml/sso (HTTP-Redirect: SigAlg and Signature over the raw query octets; HTTP-POST: an
/// enveloped signature), and must get the error page (400, a sentence, no stack trace) or a SAML error Response posted
/// to the SP's registered ACS, one saml.request.refused audit event naming the reason, and no stored request.
/// </summary>
[Collection(HubCollection.Name)]
public sealed class SamlHardeningTests(HubFixture hub) : IAsyncLifetime, IDisposable
{
    private const string Requester = "urn:oasis:names:tc:SAML:2.0:status:Requester";
    private const string Responder = "urn:oasis:names:tc:SAML:2.0:status:Responder";

    private readonly TestServiceProvider _sp = TestServiceProvider.Create();
    private readonly SsoEndpoint _sso = new(hub);

    public Task InitializeAsync() => _sso.RegisterAsync(_sp);

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _sso.Dispose();
        _sp.Dispose();
    }

    [Theory]
    [InlineData(SamlMutator.Redirect)]
    [InlineData(SamlMutator.Post)]
    public async Task The_validly_signed_request_every_attack_starts_from_is_accepted(string binding)
    {
        var exchange = await SendAsync(binding, AuthnRequests.Xml(Fields()));

        Assert.Equal(SsoReplyKind.Accepted, exchange.Reply.Kind);
        Assert.Empty(exchange.Refusals);
        Assert.Equal(1, exchange.Stored);
    }

    public static TheoryData<string, string> BindingsAndDoctypes() => new()
    {
        { SamlMutator.Redirect, "<!DOCTYPE samlp:AuthnRequest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" },
        { SamlMutator.Post, "<!DOCTYPE samlp:AuthnRequest [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" },
        { SamlMutator.Post, "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY x \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>" },
        { SamlMutator.Redirect, "<!DOCTYPE samlp:AuthnRequest [<!ENTITY % p SYSTEM \"http://127.0.0.1:9/evil.dtd\"> %p;<!ENTITY x \"y\">]>" },
    };

    [Theory]
    [MemberData(nameof(BindingsAndDoctypes))]
    public async Task A_DTD_or_an_external_entity_is_refused_before_the_message_is_parsed(string binding, string doctype)
    {
        var xml = doctype + AuthnRequests.Xml(Fields()).Replace("</saml:Issuer>", "&x;</saml:Issuer>", StringComparison.Ordinal);

        // Signed over exactly these bytes (Redirect) or with the DOCTYPE put before a valid signed document (POST).
        var exchange = binding == SamlMutator.Redirect
            ? await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key)))
            : await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(doctype + Signed(Fields()).OuterXml))));

        AssertErrorPage(exchange, "unknown", "dtd");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task XML_signature_wrapping_XSW1_to_XSW8_is_refused_at_the_endpoint(int variant)
    {
        // The attack's changed copy keeps this SP's Issuer (so the SP's key is the one tried) and asks for the other ACS.
        var attack = WrappingAttacks.Build(Signed(Fields()), variant);
        WrappingAttacks.Issuer(attack.DocumentElement!).InnerText = _sp.EntityId;
        attack.DocumentElement!.SetAttribute("AssertionConsumerServiceURL", TestServiceProvider.SecondAcs);

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(attack)));

        // Two elements with one ID are refused while parsing (before the Issuer is read); the rest by the signature checks.
        var refusal = AssertErrorPage(exchange);
        Assert.True(
            (refusal.Code == "duplicate-id" && refusal.Subject == "unknown") || (refusal.Code == "signature-wrapping" && refusal.Subject == _sp.EntityId),
            $"XSW{variant}: {refusal}");
    }

    [Fact]
    public async Task A_Redirect_message_that_carries_an_XML_signature_is_refused()
    {
        var xml = Signed(Fields()).OuterXml;

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key)));

        AssertErrorPage(exchange, "unknown", "signature-in-redirect");
    }

    [Theory]
    [InlineData(SamlMutator.Redirect)]
    [InlineData(SamlMutator.Post)]
    public async Task A_changed_request_signed_with_a_key_the_message_brings_is_refused(string binding)
    {
        using var attacker = RSA.Create(2048);
        using var certificate = new CertificateRequest("CN=" + _sp.EntityId, attacker, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var changed = AuthnRequests.Xml(Fields() with { AcsUrl = TestServiceProvider.SecondAcs });

        var exchange = binding == SamlMutator.Redirect
            ? await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(changed, attacker)))
            : await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(
                AuthnRequests.SignEnveloped(changed, attacker, new AuthnRequests.SignatureOptions { KeyInfoCertificate = certificate }))));

        AssertErrorPage(exchange, _sp.EntityId, "bad-signature");
    }

    public static TheoryData<string, string> Algorithms() => new()
    {
        { "post rsa-sha1 and sha1 digest", "algorithm-not-allowed" },
        { "post sha1 digest", "algorithm-not-allowed" },
        { "post whole-document reference URI=\"\"", "signature-wrapping" },
        { "post inclusive c14n transform", "algorithm-not-allowed" },
        { "post enveloped-signature only", "algorithm-not-allowed" },
        { "redirect rsa-sha1", "algorithm-not-allowed" },
    };

    [Theory]
    [MemberData(nameof(Algorithms))]
    public async Task A_request_validly_signed_with_what_the_allow_list_leaves_out_is_refused(string signing, string code)
    {
        var xml = AuthnRequests.Xml(Fields());
        var options = signing switch
        {
            "post rsa-sha1 and sha1 digest" => new AuthnRequests.SignatureOptions { SignatureMethod = AuthnRequests.RsaSha1, DigestMethod = AuthnRequests.Sha1 },
            "post sha1 digest" => new AuthnRequests.SignatureOptions { DigestMethod = AuthnRequests.Sha1 },
            "post whole-document reference URI=\"\"" => new AuthnRequests.SignatureOptions { ReferenceUri = "" },
            "post inclusive c14n transform" => new AuthnRequests.SignatureOptions { Transforms = [new XmlDsigC14NTransform()] },
            "post enveloped-signature only" => new AuthnRequests.SignatureOptions { Transforms = [] },
            _ => null,
        };

        var exchange = options is null
            ? await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key, sigAlg: AuthnRequests.RsaSha1, hash: HashAlgorithmName.SHA1)))
            : await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(AuthnRequests.SignEnveloped(xml, _sp.Key, options))));

        AssertErrorPage(exchange, _sp.EntityId, code);
    }

    [Theory]
    [InlineData(SamlMutator.Redirect)]
    [InlineData(SamlMutator.Post)]
    public async Task Two_elements_with_the_same_ID_are_refused_even_when_validly_signed(string binding)
    {
        var fields = Fields();
        var xml = AuthnRequests.Xml(fields with { Extensions = $"<x:Note xmlns:x=\"urn:test:ext\" ID=\"{fields.Id}\">copy</x:Note>" });

        var exchange = await SendAsync(binding, xml);

        AssertErrorPage(exchange, "unknown", "duplicate-id");
    }

    [Fact]
    public async Task A_comment_cannot_truncate_the_Issuer_the_whole_text_is_read()
    {
        // Signed with the comment in it (Redirect signs the octets): a first-text-node reader would see this SP's entityID.
        var xml = AuthnRequests.Xml(Fields()).Replace("</saml:Issuer>", "<!---->.attacker.example</saml:Issuer>", StringComparison.Ordinal);

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key)));

        AssertErrorPage(exchange, _sp.EntityId + ".attacker.example", "unknown-sp");
    }

    [Fact]
    public async Task A_comment_in_a_signed_POST_message_is_refused_as_content_the_signature_does_not_cover()
    {
        // Exclusive c14n without comments leaves the comment out of the digest: the signature still verifies.
        var signed = Signed(Fields());
        var issuer = signed.DocumentElement!["Issuer", AuthnRequests.Assertion]!;
        issuer.AppendChild(signed.CreateComment("unsigned"));

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(signed)));

        AssertErrorPage(exchange, _sp.EntityId, "unsigned-content");
    }

    [Fact]
    public async Task A_comment_cannot_truncate_a_requested_AuthnContextClassRef()
    {
        // "…/LoA/low<!---->-not" read whole is no level the hub offers; read up to the comment it would be "low".
        var xml = AuthnRequests.Xml(Fields()).Replace("LoA/low</saml:AuthnContextClassRef>", "LoA/low<!---->-not</saml:AuthnContextClassRef>", StringComparison.Ordinal)
            .Replace("Comparison=\"minimum\"", "Comparison=\"exact\"", StringComparison.Ordinal);

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key)));

        AssertSamlError(exchange, "no-authn-context", Responder, "urn:oasis:names:tc:SAML:2.0:status:NoAuthnContext");
    }

    [Theory]
    [InlineData(SamlMutator.Redirect)]
    [InlineData(SamlMutator.Post)]
    public async Task A_request_ID_is_accepted_once(string binding)
    {
        var fields = Fields();
        var xml = AuthnRequests.Xml(fields);
        var query = AuthnRequests.RedirectQuery(xml, _sp.Key, "r1");
        var post = AuthnRequests.ForPost(Signed(fields));
        Task<SsoReply> Send(SsoEndpoint s) => binding == SamlMutator.Redirect ? s.GetAsync(query) : s.PostAsync(post, "r1");

        Assert.Equal(SsoReplyKind.Accepted, (await _sso.ExchangeAsync(_sp.EntityId, Send)).Reply.Kind);
        var again = await _sso.ExchangeAsync(_sp.EntityId, Send);

        AssertSamlError(again, "replayed", Requester, "urn:oasis:names:tc:SAML:2.0:status:RequestDenied", stored: 1);
        Assert.Equal(fields.Id, again.Reply.InResponseTo);
        Assert.Equal("r1", again.Reply.RelayState);
    }

    [Theory]
    [InlineData(SamlMutator.Redirect, -240, "expired")]
    [InlineData(SamlMutator.Post, -240, "expired")]
    [InlineData(SamlMutator.Redirect, 240, "not-yet-valid")]
    [InlineData(SamlMutator.Post, 240, "not-yet-valid")]
    public async Task An_IssueInstant_outside_the_clock_skew_gets_a_Requester_error_at_the_ACS(string binding, int seconds, string code)
    {
        var exchange = await SendAsync(binding, AuthnRequests.Xml(Fields() with { IssueInstant = DateTimeOffset.UtcNow.AddSeconds(seconds) }));

        AssertSamlError(exchange, code, Requester, null);
    }

    [Theory]
    [InlineData(SamlMutator.Redirect, -150)]
    [InlineData(SamlMutator.Post, 150)]
    public async Task An_IssueInstant_within_the_clock_skew_is_accepted(string binding, int seconds)
    {
        var exchange = await SendAsync(binding, AuthnRequests.Xml(Fields() with { IssueInstant = DateTimeOffset.UtcNow.AddSeconds(seconds) }));

        Assert.Equal(SsoReplyKind.Accepted, exchange.Reply.Kind);
        Assert.Equal(1, exchange.Stored);
    }

    [Fact]
    public async Task A_deflate_bomb_is_refused_at_the_inflated_size_limit()
    {
        // 2 MiB of text that deflates to a few kilobytes: the query is small, the inflated message past the 256 KiB cap.
        var xml = AuthnRequests.Xml(Fields() with { Extensions = "<x:Note xmlns:x=\"urn:test:ext\">" + new string('a', 2 * 1024 * 1024) + "</x:Note>" });
        var query = AuthnRequests.RedirectQuery(xml, _sp.Key);
        Assert.True(query.Length < 8 * 1024, $"the query is {query.Length} characters");

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(query));

        AssertErrorPage(exchange, "unknown", "too-large");
    }

    [Fact]
    public async Task A_POST_message_past_the_size_limit_is_refused()
    {
        var signed = Signed(Fields() with { Extensions = "<x:Note xmlns:x=\"urn:test:ext\">" + new string('a', 300 * 1024) + "</x:Note>" });

        var exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(signed)));

        AssertErrorPage(exchange, "unknown", "too-large");
    }

    [Fact]
    public async Task A_request_from_an_issuer_the_hub_does_not_know_gets_the_error_page_and_is_audited_under_that_issuer()
    {
        var exchange = await SendAsync(SamlMutator.Post, AuthnRequests.Xml(Fields() with { Issuer = "https://stranger.agency.example/saml" }));

        AssertErrorPage(exchange, "https://stranger.agency.example/saml", "unknown-sp");
    }

    [Theory]
    [InlineData(SamlMutator.Redirect, "Destination")]
    [InlineData(SamlMutator.Post, "Destination")]
    [InlineData(SamlMutator.Redirect, "AssertionConsumerServiceURL")]
    [InlineData(SamlMutator.Post, "AssertionConsumerServiceURL")]
    [InlineData(SamlMutator.Redirect, "IsPassive")]
    [InlineData(SamlMutator.Post, "ForceAuthn")]
    public async Task A_signed_field_changed_after_signing_is_refused(string binding, string attribute)
    {
        var fields = Fields();
        string Changed(string xml)
        {
            var document = AuthnRequests.Parse(xml);
            document.DocumentElement!.SetAttribute(attribute, attribute switch
            {
                "Destination" => "https://elsewhere.example/saml/sso",
                "AssertionConsumerServiceURL" => TestServiceProvider.SecondAcs,
                _ => "true",
            });
            return document.OuterXml;
        }

        SsoExchange exchange;
        if (binding == SamlMutator.Redirect)
        {
            // The original Signature and SigAlg kept; only the SAMLRequest value changes.
            var query = AuthnRequests.SplitQuery(AuthnRequests.RedirectQuery(AuthnRequests.Xml(fields), _sp.Key));
            var changed = AuthnRequests.JoinQuery(query.Select(p => p.Key == "SAMLRequest" ? new KeyValuePair<string, string>(p.Key, AuthnRequests.RedirectValue(Changed(AuthnRequests.InflateRedirectValue(p.Value)))) : p));
            exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(changed));
        }
        else
        {
            var changed = Changed(Signed(fields).OuterXml);
            exchange = await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes(changed))));
        }

        AssertErrorPage(exchange, _sp.EntityId, "bad-signature");
    }

    [Theory]
    [InlineData(SamlMutator.Redirect, "a\0b", "relay-state-invalid")]
    [InlineData(SamlMutator.Redirect, "a\u0001b", "relay-state-invalid")]
    [InlineData(SamlMutator.Post, "a\0b", "malformed-form")]
    [InlineData(SamlMutator.Post, "a\u001fb", "relay-state-invalid")]
    public async Task A_RelayState_with_a_NUL_or_a_control_character_gets_the_error_page_not_a_500(string binding, string relayState, string code)
    {
        // Regression (found by SamlFuzzTests): ASP.NET's form reader threw on %00, and PostgreSQL cannot store a NUL.
        var xml = AuthnRequests.Xml(Fields());

        var exchange = binding == SamlMutator.Redirect
            ? await _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key, relayState)))
            : await _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(AuthnRequests.SignEnveloped(xml, _sp.Key)), relayState));

        AssertErrorPage(exchange, "unknown", code);
    }

    private AuthnRequests.Fields Fields() => new()
    {
        Id = "_h" + Guid.NewGuid().ToString("N"),
        Issuer = _sp.EntityId,
        IssueInstant = DateTimeOffset.UtcNow,
        Destination = _sso.SsoUrl,
    };

    private XmlDocument Signed(AuthnRequests.Fields fields) => AuthnRequests.SignEnveloped(AuthnRequests.Xml(fields), _sp.Key);

    /// <summary>Signs <paramref name="xml"/> as it stands for the binding and sends it.</summary>
    private Task<SsoExchange> SendAsync(string binding, string xml) => binding == SamlMutator.Redirect
        ? _sso.ExchangeAsync(_sp.EntityId, s => s.GetAsync(AuthnRequests.RedirectQuery(xml, _sp.Key)))
        : _sso.ExchangeAsync(_sp.EntityId, s => s.PostAsync(AuthnRequests.ForPost(AuthnRequests.SignEnveloped(xml, _sp.Key))));

    /// <summary>The error page, one refusal audited (for <paramref name="subject"/>, naming <paramref name="code"/>), nothing stored.</summary>
    private static AuditedRefusal AssertErrorPage(SsoExchange exchange, string? subject = null, string? code = null)
    {
        Assert.True(exchange.Reply.Kind == SsoReplyKind.ErrorPage, exchange.Reply.ToString());
        Assert.EndsWith(".", exchange.Reply.Problem, StringComparison.Ordinal);
        var refusal = Assert.Single(exchange.Refusals);
        if (subject is not null)
        {
            Assert.Equal(subject, refusal.Subject);
        }

        if (code is not null)
        {
            Assert.Equal(code, refusal.Code);
        }

        Assert.Equal(exchange.Reply.Problem, refusal.Detail);
        Assert.Equal(0, exchange.Stored);
        return refusal;
    }

    /// <summary>A SAML error Response posted to the SP's registered ACS with these status codes, audited, nothing (more) stored.</summary>
    private void AssertSamlError(SsoExchange exchange, string code, string top, string? second, int stored = 0)
    {
        Assert.True(exchange.Reply.Kind == SsoReplyKind.SamlError, exchange.Reply.ToString());
        Assert.Equal(TestServiceProvider.Acs, exchange.Reply.FormAction);
        Assert.Equal(top, exchange.Reply.TopStatus);
        Assert.Equal(second, exchange.Reply.SecondStatus);
        var refusal = Assert.Single(exchange.Refusals);
        Assert.Equal(_sp.EntityId, refusal.Subject);
        Assert.Equal(code, refusal.Code);
        Assert.Equal(stored, exchange.Stored);
    }
}
