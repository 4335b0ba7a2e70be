namespace IdentityHub.Pki;

internal static class PkiClock
{
    /// <summary>UTC now truncated to whole seconds: X.509 times carry seconds, so registry rows and certificates agree exactly.</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }
}
