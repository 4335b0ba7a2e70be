namespace IdentityHub.Saml.Bindings;

/// <summary>Either a received message or the problem that refused it.</summary>
internal sealed record SamlReadResult(ReceivedMessage? Message, SamlProblem? Problem)
{
    public bool Succeeded => Message is not null;

    public static SamlReadResult Refused(SamlProblem problem) => new(null, problem);
}
