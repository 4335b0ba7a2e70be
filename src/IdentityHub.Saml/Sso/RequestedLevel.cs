using IdentityHub.Authentication.Assurance;
using IdentityHub.Saml.Saml;

namespace IdentityHub.Saml.Sso;

/// <summary>
/// The levels an answer may state for a RequestedAuthnContext (saml-core-2.0-os §3.3.2.2.1) and the SP's own minimum:
/// the citizen is signed in at least at the lowest of them, and the assertion states the highest of them the session
/// reaches. Class references other than the eIDAS levels are not offered by the hub and are ignored.
/// </summary>
internal sealed record RequestedLevel(IReadOnlySet<LevelOfAssurance> Allowed)
{
    private static readonly LevelOfAssurance[] Levels = [LevelOfAssurance.Low, LevelOfAssurance.Substantial, LevelOfAssurance.High];

    /// <summary>The level to sign the citizen in at (step-up target).</summary>
    public LevelOfAssurance Target => Allowed.Min();

    /// <summary>The level the assertion states for a session at <paramref name="session"/>; None when the session is below every allowed level.</summary>
    public LevelOfAssurance StatedFor(LevelOfAssurance session) =>
        Allowed.Where(l => l <= session).DefaultIfEmpty(LevelOfAssurance.None).Max();

    /// <summary>The allowed levels as stored with a pending request: short names, lowest first.</summary>
    public string Names => string.Join(' ', Allowed.Order().Select(l => l.ToString().ToLowerInvariant()));

    /// <summary>The levels stored by <see cref="Names"/>; null when none parses.</summary>
    public static RequestedLevel? FromNames(string names)
    {
        var set = (names ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => LevelsOfAssurance.TryParse(n, out var l) ? l : LevelOfAssurance.None).Where(l => l != LevelOfAssurance.None).ToHashSet();
        return set.Count == 0 ? null : new RequestedLevel(set);
    }

    /// <summary>The allowed levels, or null when none fits (the answer is then a NoAuthnContext status).</summary>
    public static RequestedLevel? Resolve(string? comparison, IReadOnlyList<string> classRefs, LevelOfAssurance spMinimum)
    {
        ArgumentNullException.ThrowIfNull(classRefs);
        var listed = classRefs.Select(r => LevelsOfAssurance.TryParse(r, out var level) && r.Contains("://", StringComparison.Ordinal) ? level : LevelOfAssurance.None)
            .Where(l => l != LevelOfAssurance.None).ToHashSet();
        if (classRefs.Count > 0 && listed.Count == 0)
        {
            return null; // only contexts the hub does not offer (e.g. PasswordProtectedTransport)
        }

        IEnumerable<LevelOfAssurance> allowed = classRefs.Count == 0
            ? Levels
            : (comparison ?? SamlComparison.Exact) switch
            {
                SamlComparison.Minimum => Levels.Where(l => l >= listed.Min()),
                SamlComparison.Better => Levels.Where(l => l > listed.Max()),
                SamlComparison.Maximum => Levels.Where(l => l <= listed.Max()),
                _ => listed,
            };
        var set = allowed.Where(l => l >= spMinimum).ToHashSet();
        return set.Count == 0 ? null : new RequestedLevel(set);
    }
}
