namespace IdentityHub.Oidc.Consent;

/// <summary>The consent page's form, which posts the authorization request back to the authorization endpoint.</summary>
public static class ConsentForm
{
    public const string PagePath = "/consent";

    /// <summary>The citizen's answer: <see cref="Allow"/> or <see cref="Deny"/>.</summary>
    public const string DecisionField = "hub_consent";

    /// <summary>The <see cref="ConsentTickets"/> ticket for the client, scopes and session the page showed.</summary>
    public const string TicketField = "hub_consent_ticket";

    public const string Allow = "allow";

    public const string Deny = "deny";

    /// <summary>The form's own fields: never authorization request parameters, never carried on to another URL.</summary>
    public static IReadOnlySet<string> Fields { get; } = new HashSet<string>(StringComparer.Ordinal) { DecisionField, TicketField, "__RequestVerificationToken" };
}
