using System.Collections.Concurrent;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm.Tokens;

/// <summary>
/// PKCS#11 sessions must not be used by two threads at once (PKCS#11 v2.40 §5.6), so each operation rents one.
/// At most <c>max</c> sessions exist; all share the application's login (§5.5), which the key store does once.
/// </summary>
internal sealed class SessionPool(ISlot slot, int max) : IDisposable
{
    private readonly ConcurrentBag<ISession> _idle = [];
    private readonly SemaphoreSlim _slots = new(max, max);

    public T Use<T>(Func<ISession, T> operation)
    {
        _slots.Wait();
        ISession? session = null;
        try
        {
            session = _idle.TryTake(out var idle) ? idle : slot.OpenSession(SessionType.ReadWrite);
            var result = operation(session);
            _idle.Add(session);
            session = null;
            return result;
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_SESSION_HANDLE_INVALID or CKR.CKR_SESSION_CLOSED or CKR.CKR_DEVICE_REMOVED or CKR.CKR_TOKEN_NOT_PRESENT)
        {
            // The session is gone (token reset or removed): drop it so the next caller opens a fresh one.
            session = null;
            throw;
        }
        catch
        {
            // Operation-level failures (bad mechanism, bad data) leave the session usable.
            if (session is not null)
            {
                _idle.Add(session);
                session = null;
            }

            throw;
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose()
    {
        while (_idle.TryTake(out var session))
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

        _slots.Dispose();
    }
}
