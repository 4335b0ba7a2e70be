using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Xml;
using IdentityHub.Authentication.Agencies;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Sessions;
using IdentityHub.Core.Audit;
using IdentityHub.Data;
using IdentityHub.Data.Accounts;
using IdentityHub.Data.Audit;
using IdentityHub.Data.Saml;
using IdentityHub.Saml.Bindings;
using IdentityHub.Saml.Encryption;
using IdentityHub.Saml.Providers;
using IdentityHub.Saml.Saml;
using IdentityHub.Saml.Signing;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace IdentityHub.Saml.Sso;

/// <summary>
/// The IdP's answers: a Response with one Assertion for the citizen (saml-profiles §4.1.4.2), signed (the assertion
/// always, the response as the SP is set up), encrypted to the SP when it is set up so, posted to the ACS by an HTML
/// form (saml-bindings §3.5); an error Response with a status code; or an error page when no ACS can be trusted.
/// </summary>
internal sealed class SamlAnswers(HubDbContext db, SamlKeyRing keys, PairwiseSubjects subjects, AuditLog audit, TimeProvider time, IOptions<SamlOptions> options)
{
    public async Task<string> SuccessAsync(
        HttpContext http, RegisteredServiceProvider sp, SamlRequestRecord? pending, ClaimsPrincipal citizen, SessionRecord session, LevelOfAssurance level, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nationalId = citizen.Identity?.Name ?? throw new InvalidOperationException("A citizen principal without a name.");
        Data.Registry.PersonRecord? person;
        SessionServiceProviderRecord participation;
        using (SamlTelemetry.Start("saml.answer.lookup"))
        {
            person = await db.Persons.AsNoTracking().FirstOrDefaultAsync(p => p.NationalId == nationalId, ct);
            participation = await ParticipationAsync(session.Id, sp, ct);
        }

        var nameId = sp.Record.NameIdFormat switch
        {
            ServiceProviders.Transient => participation.TransientNameId!,
            ServiceProviders.NationalId => nationalId,
            _ => subjects.SubjectFor(sp.Record.Sector, nationalId),
        };
        var acs = pending?.AcsUrl ?? sp.DefaultAcs!.Location;
        var content = new AssertionContent(
            EntityId(http), sp.EntityId, acs, pending?.RequestId,
            new SamlSubject(nameId, sp.NameIdFormatUri, sp.Record.NameIdFormat == ServiceProviders.NationalId ? null : sp.EntityId),
            SamlSignIn.AuthenticatedAt(session), participation.SessionIndex, level.ToUri(), Attributes(sp, person, nationalId, nameId), now, options.Value.AssertionLifetime);

        var key = await keys.CurrentAsync(ct);
        XmlDocument document;
        XmlElement assertion;
        using (SamlTelemetry.Start("saml.answer.build"))
        {
            document = ResponseBuilder.Success(content);
            assertion = ResponseBuilder.AssertionOf(document);
        }

        using (SamlTelemetry.Start("saml.answer.sign-assertion"))
        {
            SamlXmlSigner.Sign(assertion, key.Key, key.Certificate);
        }

        var encrypted = sp.Record.EncryptAssertions && sp.Metadata.EncryptionCertificates.Count > 0;
        if (encrypted)
        {
            using var span = SamlTelemetry.Start("saml.answer.encrypt");
            // AES-GCM unless the SP's metadata asks for CBC only (it lists EncryptionMethods and GCM is not among them).
            var methods = sp.Metadata.EncryptionMethods;
            var data = methods.Count == 0 || methods.Contains(SamlAlgorithms.Aes256Gcm) || methods.Contains(SamlAlgorithms.Aes128Gcm)
                ? SamlAlgorithms.Aes256Gcm
                : SamlAlgorithms.Aes256Cbc;
            AssertionEncryptor.Encrypt(assertion, sp.Metadata.EncryptionCertificates[0], data, SamlAlgorithms.RsaOaepMgf1p);
        }

        if (sp.Record.SignResponse)
        {
            using var span = SamlTelemetry.Start("saml.answer.sign-response");
            SamlXmlSigner.Sign(document.DocumentElement!, key.Key, key.Certificate);
        }

        using (SamlTelemetry.Start("saml.answer.audit"))
        {
            await audit.AppendAsync(new AuditEvent("saml.response.issued", nationalId, sp.EntityId, new Dictionary<string, string>
            {
                ["level"] = level.ToUri(),
                ["nameIdFormat"] = sp.Record.NameIdFormat,
                ["inResponseTo"] = pending?.RequestId ?? "",
                ["unsolicited"] = pending?.RequestId is null ? "true" : "false",
                ["acs"] = acs,
                ["encrypted"] = encrypted ? "true" : "false",
                ["session"] = session.Id.ToString(),
                ["attributes"] = sp.Record.Attributes,
            }), ct);
        }

        using (SamlTelemetry.Start("saml.answer.form"))
        {
            return Form(http, acs, "SAMLResponse", document, pending?.RelayState);
        }
    }

    public async Task<string> ErrorAsync(HttpContext http, RegisteredServiceProvider sp, string acs, string? inResponseTo, string? relayState, SamlProblem problem, CancellationToken ct)
    {
        // saml-core §3.2.2.2: the top-level code is Requester, Responder or VersionMismatch; the specific one is nested.
        var (top, second) = (problem.StatusCode, problem.SecondLevelStatusCode);
        var document = ResponseBuilder.Error(EntityId(http), acs, inResponseTo, top, second, problem.Detail, time.GetUtcNow());
        if (sp.Record.SignResponse)
        {
            var key = await keys.CurrentAsync(ct);
            SamlXmlSigner.Sign(document.DocumentElement!, key.Key, key.Certificate);
        }

        return Form(http, acs, "SAMLResponse", document, relayState);
    }

    /// <summary>A plain page for problems no SP can be told about (unknown SP, bad signature, unlisted ACS).</summary>
    public static string ErrorPage(string message) => Http.HubPage.Html("Sign-in request refused", $"""
        <h1>The sign-in request was refused</h1>
        <p id="saml-problem">{WebUtility.HtmlEncode(message)}</p>
        <p>Go back to the service you came from and try again. If this keeps happening, tell the service: the problem is in its request, not in your account.</p>
        """);

    /// <summary>The IdP's entityID: Saml:EntityId, else this hub's metadata URL.</summary>
    public string EntityId(HttpContext http) =>
        options.Value.EntityId ?? $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/saml/metadata";

    private static string Form(HttpContext http, string acs, string parameter, XmlDocument document, string? relayState)
    {
        FormTargets.Allow(http, [acs]);
        var base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(document.OuterXml));
        return PostBindingForm.Html(acs, parameter, base64, relayState, null);
    }

    /// <summary>The session's record of this SP: its SessionIndex (and transient NameID), made on the first answer.</summary>
    private async Task<SessionServiceProviderRecord> ParticipationAsync(Guid sessionId, RegisteredServiceProvider sp, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var index = "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var transient = sp.Record.NameIdFormat == ServiceProviders.Transient ? "_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : null;
        // One round trip: the row as it stands after the upsert (the first answer's SessionIndex on every later one).
        var rows = await db.SamlSessionServiceProviders.FromSql($"""
            INSERT INTO saml.session_service_providers ("SessionId", "SpEntityId", "SessionIndex", "TransientNameId", "NameIdFormat", "FirstAt", "LastAt")
            VALUES ({sessionId}, {sp.EntityId}, {index}, {transient}, {sp.Record.NameIdFormat}, {now}, {now})
            ON CONFLICT ("SessionId", "SpEntityId") DO UPDATE SET "LastAt" = EXCLUDED."LastAt"
            RETURNING *
            """).AsNoTracking().ToListAsync(ct);
        return rows.Single();
    }

    /// <summary>The eIDAS natural-person attributes the SP is set up to get (PersonIdentifier: the national identifier only when entitled).</summary>
    private static List<SamlAttribute> Attributes(RegisteredServiceProvider sp, Data.Registry.PersonRecord? person, string nationalId, string nameId)
    {
        var released = new List<SamlAttribute>();
        foreach (var name in sp.Attributes)
        {
            var (uri, value) = name switch
            {
                "PersonIdentifier" => (EidasAttributes.PersonIdentifier, sp.Record.NationalIdEntitled ? nationalId : nameId),
                "CurrentFamilyName" => (EidasAttributes.CurrentFamilyName, person?.Surname),
                "CurrentGivenName" => (EidasAttributes.CurrentGivenName, person?.GivenNames),
                "DateOfBirth" => (EidasAttributes.DateOfBirth, person?.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                _ => (null, null),
            };
            if (uri is not null && value is not null)
            {
                released.Add(new SamlAttribute(uri, name, [value]));
            }
        }

        return released;
    }
}
