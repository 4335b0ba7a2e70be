using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// PKCS#11 sessions must not be used by two threads at once (PKCS#11 v2.40 §5.6), so each operation rents one.
/// At most <c>max</c> sessions exist; all share the application's login (§5.5). Every session the pool opens is handed
/// to <c>prepare</c> first, which logs the application in when it is not (a token reset or C_CloseAllSessions ends the
/// login together with the last session, §5.5).
/// </summary>
internal sealed class SessionPool(ISlot slot, int max, Action<ISession> prepare) : IDisposable
{
    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly SemaphoreSlim _slots = new(max, max);

    public T Use<T>(Func<ISession, T> operation) =>
        Use(operation, static (session, op) => op(session));

    /// <summary>
    /// Runs <paramref name="operation"/> on a rented session. A session the token no longer knows
    /// (CKR_SESSION_HANDLE_INVALID / CKR_SESSION_CLOSED: the call did nothing) is dropped and the operation runs once
    /// more on a freshly opened one; other failures return the session, which stays usable, and propagate.
    /// </summary>
    /// <remarks>The state overload lets hot paths pass a static lambda, so renting allocates no closure.</remarks>
    public T Use<TState, T>(TState state, Func<ISession, TState, T> operation)
    {
        _slots.Wait();
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                var session = attempt == 0 && _idle.TryTake(out var idle) ? idle : Open();
                try
                {
                    var result = operation(session, state);
                    _idle.Add(session);
                    return result;
                }
                catch (Pkcs11Exception ex) when (IsGone(ex.RV))
                {
                    // Not closed: a module may reuse the number for a new session, which closing would end.
                    if (attempt > 0 || ex.RV is CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT)
                    {
                        throw;
                    }
                }
                catch
                {
                    _idle.Add(session);
                    throw;
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    private ISession Open()
    {
        var session = slot.OpenSession(SessionType.ReadWrite);
        try
        {
            prepare(session);
            return session;
        }
        catch
        {
            CloseQuietly(session);
            throw;
        }
    }

    private static bool IsGone(CKR rv) =>
        rv is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT;

    private static void CloseQuietly(ISession session)
    {
        try
        {
            session.CloseSession();
        }
        catch (Pkcs11Exception)
        {
            // Closing a session of a finalized module fails harmlessly.
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var session))
        {
            CloseQuietly(session);
        }

        _slots.Dispose();
    }
}
