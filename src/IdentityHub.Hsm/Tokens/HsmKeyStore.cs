using System.Collections.Concurrent;
using System.Security.Cryptography;
using IdentityHub.Core.Keys;
using IdentityHub.Hsm.Diagnostics;
using IdentityHub.Hsm.Keys;
using IdentityHub.Hsm.Tokens;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Net.Pkcs11Interop.Common;
using Net.Pkcs11Interop.HighLevelAPI;

namespace IdentityHub.Hsm;

/// <summary>How a private key is protected inside the token (PKCS#11 v2.40 §4.9 attributes).</summary>
public sealed record KeyProtection(bool Sensitive, bool AlwaysSensitive, bool Extractable, bool NeverExtractable, bool Token, bool Private);

/// <summary>A key pair in the token, as operators list them.</summary>
public sealed record HsmKeyInfo(string KeyId, string Label, KeyAlgorithm Algorithm);

/// <summary>
/// The hub's keys in a PKCS#11 token: generated inside it as non-extractable, sensitive token objects, found by CKA_ID,
/// and used through <see cref="ISigningKey"/> handles that sign digests in the token.
/// </summary>
public sealed class HsmKeyStore : IKeyStore, IDisposable
{
    private readonly string _libraryPath;
    private readonly string _pin;
    private readonly SessionPool _pool;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, HsmSigningKey> _keys = new(StringComparer.Ordinal);
    private bool _disposed;

    private HsmKeyStore(HsmOptions options, ISlot slot, ITokenInfo token, ILogger log)
    {
        _libraryPath = options.LibraryPath;
        _pin = options.Pin;
        Slot = slot;
        TokenLabel = token.Label.Trim();
        TokenSerialNumber = token.SerialNumber.Trim();
        ManufacturerId = token.ManufacturerId.Trim();
        _pool = new SessionPool(slot, options.MaxSessions, EnsureLoggedIn);
        _log = log;
    }

    public string TokenLabel { get; }

    public string TokenSerialNumber { get; }

    public string ManufacturerId { get; }

    internal ISlot Slot { get; }

    internal SessionPool Pool => _pool;

    internal ILogger Log => _log;

    internal static Pkcs11InteropFactories Factories => Pkcs11Modules.Factories;

    /// <summary>Loads the module, finds the token by label and logs in. Failures name the configuration key to fix.</summary>
    public static HsmKeyStore Open(HsmOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new HsmConfigurationException(errors[0]);
        }

        IPkcs11Library library;
        try
        {
            library = Pkcs11Modules.Acquire(options.LibraryPath);
        }
        catch (Exception ex) when (ex is Pkcs11Exception or DllNotFoundException or UnmanagedException or BadImageFormatException)
        {
            throw new HsmConfigurationException($"Hsm:LibraryPath '{options.LibraryPath}' could not be loaded as a PKCS#11 module: {ex.Message}", ex);
        }

        try
        {
            var slots = library.GetSlotList(SlotsType.WithTokenPresent);
            var infos = slots.Select(s => (Slot: s, Info: s.GetTokenInfo())).ToList();
            var match = infos.FirstOrDefault(s => s.Info.Label.Trim() == options.TokenLabel);
            if (match.Slot is null)
            {
                var found = string.Join(", ", infos.Select(s => $"'{s.Info.Label.Trim()}'").Where(l => l != "''"));
                throw new HsmConfigurationException(
                    $"Hsm:TokenLabel '{options.TokenLabel}' matches no token in {options.LibraryPath} (tokens found: {(found.Length == 0 ? "none" : found)}).");
            }

            var log = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<HsmKeyStore>();
            var store = new HsmKeyStore(options, match.Slot, match.Info, log);
            try
            {
                // The first session the pool opens logs in (EnsureLoggedIn), so a wrong PIN fails here, at start.
                store._pool.Use(0, static (_, _) => 0);
            }
            catch
            {
                // Close the sessions only: the module reference is released once, by the catch below.
                store._disposed = true;
                store._pool.Dispose();
                throw;
            }

            HsmLog.Opened(log, store.TokenLabel, store.TokenSerialNumber);
            return store;
        }
        catch
        {
            Pkcs11Modules.Release(options.LibraryPath);
            throw;
        }
    }

    /// <summary>
    /// Called for every session the pool opens. The login belongs to the application, not the session (PKCS#11 v2.40
    /// §5.5): it is made once, and again only after the token dropped it (the last session closed, §5.5; a token reset).
    /// </summary>
    private void EnsureLoggedIn(ISession session)
    {
        if (session.GetSessionInfo().State is CKS.CKS_RW_USER_FUNCTIONS or CKS.CKS_RO_USER_FUNCTIONS)
        {
            RequireSamePinAsExistingLogin();
            return;
        }

        try
        {
            session.Login(CKU.CKU_USER, _pin);
            LoginRegistry.Record(_libraryPath, TokenSerialNumber, _pin);
        }
        catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ALREADY_LOGGED_IN)
        {
            // Another session of this process logged in between the state check and C_Login.
            RequireSamePinAsExistingLogin();
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_INCORRECT or CKR.CKR_PIN_LEN_RANGE or CKR.CKR_ARGUMENTS_BAD)
        {
            throw new HsmConfigurationException($"Hsm:Pin is not the user PIN of token '{TokenLabel}' ({ex.RV}).", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV is CKR.CKR_PIN_LOCKED or CKR.CKR_PIN_EXPIRED)
        {
            throw new HsmConfigurationException($"Hsm:Pin: the user PIN of token '{TokenLabel}' is locked or expired ({ex.RV}); the Security Officer must reset it.", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_PIN_NOT_INITIALIZED)
        {
            throw new HsmConfigurationException($"Hsm:TokenLabel '{TokenLabel}': the token has no user PIN yet; initialise it (hsm-sim/init-token.sh for SoftHSM).", ex);
        }
        catch (Pkcs11Exception ex) when (ex.RV == CKR.CKR_USER_ANOTHER_ALREADY_LOGGED_IN)
        {
            throw new HsmConfigurationException($"Hsm:TokenLabel '{TokenLabel}': this process is logged in to the token as Security Officer; the hub needs a user login ({ex.RV}).", ex);
        }
    }

    private void RequireSamePinAsExistingLogin()
    {
        if (!LoginRegistry.Matches(_libraryPath, TokenSerialNumber, _pin))
        {
            throw new HsmConfigurationException(
                $"Hsm:Pin is not the user PIN this process already logged in to token '{TokenLabel}' with (the token keeps one login per process).");
        }
    }

    /// <inheritdoc />
    public ISigningKey Generate(string label, KeyAlgorithm algorithm)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(label);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var id = RandomNumberGenerator.GetBytes(16);
        var keyId = Convert.ToHexStringLower(id);
        _pool.Use(session =>
        {
            var (mechanism, publicTemplate, privateTemplate) = KeyTemplates.For(algorithm, label, id);
            using (mechanism)
            {
                TokenObjectWrites.Create(TokenSerialNumber, () =>
                {
                    session.GenerateKeyPair(mechanism, publicTemplate, privateTemplate, out _, out _);
                    return true;
                });
            }

            return true;
        });
        HsmMetrics.KeyGenerations.Add(1, new KeyValuePair<string, object?>("algorithm", algorithm.ToConfigName()));
        HsmLog.KeyGenerated(_log, keyId, label, algorithm.ToConfigName());
        // SoftHSM's file store can hide an object for a moment while another process reads the token (seen in CI with
        // several test processes on one token, as TokenObjectWrites describes): look again before calling it lost.
        for (var attempt = 1; ; attempt++)
        {
            if (Find(keyId) is { } key)
            {
                return key;
            }

            if (attempt == 5)
            {
                throw new CryptographicException($"The token did not keep the key pair {keyId} it just generated.");
            }

            Thread.Sleep(50 * attempt);
        }
    }

    /// <inheritdoc />
    public ISigningKey? Find(string keyId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(keyId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_keys.TryGetValue(keyId, out var cached))
        {
            return cached;
        }

        byte[] id;
        try
        {
            id = Convert.FromHexString(keyId);
        }
        catch (FormatException)
        {
            return null;
        }

        // KeyId is the lowercase hex of CKA_ID; an uppercase spelling finds the same cached handle.
        var normalised = Convert.ToHexStringLower(id);
        if (_keys.TryGetValue(normalised, out cached))
        {
            return cached;
        }

        var key = _pool.Use((Store: this, KeyId: normalised, Id: id), static (session, s) => HsmSigningKey.Load(s.Store, session, s.KeyId, s.Id));
        return key is null ? null : _keys.GetOrAdd(normalised, key);
    }

    /// <summary>Reads the protection attributes of a private key from the token itself.</summary>
    public KeyProtection InspectProtection(string keyId)
    {
        var key = (HsmSigningKey?)Find(keyId) ?? throw new KeyNotFoundException($"No key {keyId} in token '{TokenLabel}'.");
        return key.Use(0, static (session, handle, _) =>
        {
            var values = session.GetAttributeValue(handle,
                [CKA.CKA_SENSITIVE, CKA.CKA_ALWAYS_SENSITIVE, CKA.CKA_EXTRACTABLE, CKA.CKA_NEVER_EXTRACTABLE, CKA.CKA_TOKEN, CKA.CKA_PRIVATE]);
            return new KeyProtection(values[0].GetValueAsBool(), values[1].GetValueAsBool(), values[2].GetValueAsBool(),
                values[3].GetValueAsBool(), values[4].GetValueAsBool(), values[5].GetValueAsBool());
        });
    }

    /// <summary>Every private key in the token that the hub can use, with its id, label and algorithm.</summary>
    /// <remarks>A token may hold keys put there by other tools; those without a CKA_ID, or of a type or size the hub does
    /// not use, are logged and left out rather than failing the whole listing.</remarks>
    public IReadOnlyList<HsmKeyInfo> ListKeys()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var ids = _pool.Use(session =>
        {
            var handles = session.FindAllObjects([Factories.ObjectAttributeFactory.Create(CKA.CKA_CLASS, CKO.CKO_PRIVATE_KEY)]);
            return handles.Select(h => session.GetAttributeValue(h, [CKA.CKA_ID])[0].GetValueAsByteArray() ?? []).ToList();
        });
        var keys = new List<HsmKeyInfo>(ids.Count);
        foreach (var id in ids)
        {
            if (id.Length == 0)
            {
                HsmLog.KeySkipped(_log, "(none)", "it has no CKA_ID");
                continue;
            }

            try
            {
                if (Find(Convert.ToHexStringLower(id)) is HsmSigningKey key)
                {
                    keys.Add(new HsmKeyInfo(key.KeyId, key.Label, key.Algorithm));
                }
            }
            catch (CryptographicException ex)
            {
                HsmLog.KeySkipped(_log, Convert.ToHexStringLower(id), ex.Message);
            }
        }

        return keys;
    }

    /// <summary>Proves the token is present and the login still holds; throws otherwise.</summary>
    public void CheckHealth()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var state = _pool.Use(session => session.GetSessionInfo().State);
        if (state is not (CKS.CKS_RW_USER_FUNCTIONS or CKS.CKS_RO_USER_FUNCTIONS))
        {
            throw new HsmConfigurationException($"Hsm:Pin: token '{TokenLabel}' is no longer logged in (session state {state}).");
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _pool.Dispose();
        Pkcs11Modules.Release(_libraryPath);
    }
}
