using Microsoft.Extensions.Options;

namespace IdentityHub.Authentication.Assurance;

/// <summary>
/// Turns a session's authentications into a level of assurance and RFC 8176 <c>amr</c> values, and works out what is
/// missing when a relying party asks for a higher level (step-up asks only for that).
/// </summary>
public sealed class AssurancePolicy
{
    private readonly (LevelOfAssurance Level, string[] Methods)[] _rules;

    public AssurancePolicy(IOptions<AssuranceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _rules = options.Value.EffectiveLevels
            .SelectMany(l => (l.Value ?? []).Select(r => (Level: Parse(l.Key), Methods: r.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))))
            .Where(r => r.Methods.Length > 0)
            .OrderByDescending(r => r.Level)
            .ToArray();
        DefaultLevel = Parse(options.Value.DefaultLevel);
    }

    public LevelOfAssurance DefaultLevel { get; }

    public LevelOfAssurance LevelOf(IEnumerable<AuthenticationRecord> authentications)
    {
        var held = Held(authentications);
        foreach (var (level, methods) in _rules)
        {
            if (methods.All(held.Contains))
            {
                return level;
            }
        }

        return LevelOfAssurance.None;
    }

    /// <summary>
    /// The level at which this session may bind (add or remove) an authenticator, NIST SP 800-63B §6.1.2.1: its own level,
    /// or high when it was opened with a credential issued after identity proofing in person (the activation letter's
    /// code, a staff member's one-time password), which itself counts for no level.
    /// </summary>
    public LevelOfAssurance BindingLevel(IEnumerable<AuthenticationRecord> authentications)
    {
        ArgumentNullException.ThrowIfNull(authentications);
        var held = authentications.ToList();
        return held.Any(a => AuthenticationMethods.IsIssuedCredential(a.Method)) ? LevelOfAssurance.High : LevelOf(held);
    }

    /// <summary>
    /// The level an authenticator gives, used with the password or alone (whichever reaches higher): what a session
    /// must have to add or remove it.
    /// </summary>
    public LevelOfAssurance LevelGivenBy(string method)
    {
        var password = new AuthenticationRecord(AuthenticationMethods.Password, DateTimeOffset.MinValue);
        var alone = new AuthenticationRecord(method, DateTimeOffset.MinValue);
        var withPassword = LevelOf([password, alone]);
        var byItself = LevelOf([alone]);
        return withPassword > byItself ? withPassword : byItself;
    }

    /// <summary>
    /// The record to add to a session for an authenticator it just bound, so that the session does not rise above
    /// <paramref name="cap"/> (the level it binds at): the same method, or the strongest weaker one that stays under the
    /// cap (an attested passkey counts as a verified one); null when even the weakest would lift the session too high.
    /// </summary>
    public AuthenticationRecord? Capped(IReadOnlyList<AuthenticationRecord> held, AuthenticationRecord added, LevelOfAssurance cap)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(added);
        foreach (var method in added.Satisfies())
        {
            var candidate = added with { Method = method };
            if (LevelOf([.. held, candidate]) <= cap)
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>
    /// The fewest further methods that lift the session to <paramref name="target"/> (or above), using only methods
    /// the account has; empty when the session is there already, null when the account cannot get there.
    /// </summary>
    public IReadOnlyList<string>? Missing(IEnumerable<AuthenticationRecord> authentications, LevelOfAssurance target, IReadOnlySet<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        var held = Held(authentications);
        IReadOnlyList<string>? best = null;
        foreach (var (level, methods) in _rules)
        {
            if (level < target)
            {
                continue;
            }

            var missing = methods.Where(m => !held.Contains(m)).ToList();
            if (missing.All(available.Contains) && (best is null || missing.Count < best.Count))
            {
                best = missing;
            }
        }

        return best;
    }

    /// <summary>Every method that is part of some way, open to this account, to reach <paramref name="target"/>: what a step page offers.</summary>
    public IReadOnlySet<string> NextSteps(IEnumerable<AuthenticationRecord> authentications, LevelOfAssurance target, IReadOnlySet<string> available)
    {
        ArgumentNullException.ThrowIfNull(available);
        var held = Held(authentications);
        var steps = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (level, methods) in _rules)
        {
            var missing = methods.Where(m => !held.Contains(m)).ToList();
            if (level >= target && missing.Count > 0 && missing.All(available.Contains))
            {
                steps.UnionWith(missing);
            }
        }

        return steps;
    }

    /// <summary>
    /// RFC 8176 authentication method references: pwd, otp (TOTP and recovery codes), hwk for a device-bound passkey
    /// and swk for one that can be synced (backup eligible), user for the authenticator's user-presence test, and mfa
    /// when factors of two kinds were used (a passkey that verified its user is two factors by itself).
    /// </summary>
    public static IReadOnlyList<string> AmrOf(IEnumerable<AuthenticationRecord> authentications)
    {
        ArgumentNullException.ThrowIfNull(authentications);
        var amr = new List<string>();
        var factors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in authentications)
        {
            switch (a.Method)
            {
                case AuthenticationMethods.Password:
                    amr.Add("pwd");
                    factors.Add("knowledge");
                    break;
                case AuthenticationMethods.Totp or AuthenticationMethods.RecoveryCode:
                    amr.Add("otp");
                    factors.Add("possession");
                    break;
                case AuthenticationMethods.ActivationCode or AuthenticationMethods.RecoveryLetter or AuthenticationMethods.OneTimePassword:
                    // Binds authenticators; proves nothing a relying party is told about.
                    break;
                default:
                    amr.Add(a.Passkey is { BackupEligible: true } ? "swk" : "hwk");
                    amr.Add("user");
                    factors.Add("possession");
                    if (a.Passkey?.UserVerified == true)
                    {
                        factors.Add("verification");
                    }

                    break;
            }
        }

        if (factors.Count > 1)
        {
            amr.Add("mfa");
        }

        return amr.Distinct(StringComparer.Ordinal).ToList();
    }

    private static HashSet<string> Held(IEnumerable<AuthenticationRecord> authentications) =>
        authentications.SelectMany(a => a.Satisfies()).ToHashSet(StringComparer.Ordinal);

    private static LevelOfAssurance Parse(string name) =>
        LevelsOfAssurance.TryParse(name, out var level) ? level : throw new InvalidOperationException($"Unknown level of assurance '{name}'.");
}
