using System.Text;
using System.Xml.Linq;
using IdentityHub.Hsm.Tokens;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Hsm.DataProtection;

/// <summary>
/// Seals the ASP.NET Core Data Protection key ring (the master keys behind every cookie, antiforgery token and TOTP
/// secret) with AES-256-GCM inside the HSM, under a token key labelled "data-protection-keys" that is sensitive and
/// never extractable (the evidence cipher's format and key creation, <see cref="TokenAesGcm"/>): a database read
/// alone can neither forge a session cookie nor recover a TOTP secret.
/// </summary>
public sealed class DataProtectionKeyCipher
{
    public const string KeyLabel = "data-protection-keys";

    /// <summary>Binds each sealed key element to its use: a value sealed for another purpose does not open here.</summary>
    private static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("IdentityHub.DataProtection.KeyRing.v1");

    private readonly TokenAesGcm _cipher;

    public DataProtectionKeyCipher(HsmKeyStore store) => _cipher = new TokenAesGcm(store, KeyLabel, "Data Protection key");

    /// <summary>Creates the token key unless it exists (PKI initialisation); true when this call created it.</summary>
    public bool EnsureKey() => _cipher.EnsureKey();

    public byte[] Seal(ReadOnlySpan<byte> plaintext) => _cipher.Encrypt(plaintext, AssociatedData);

    public byte[] Open(ReadOnlySpan<byte> sealedValue) => _cipher.Decrypt(sealedValue, AssociatedData);
}

/// <summary>Writes a key ring element as <c>&lt;hsmEncryptedKey keyLabel="data-protection-keys"&gt;&lt;value&gt;base64&lt;/value&gt;</c>.</summary>
public sealed class HsmXmlEncryptor : IXmlEncryptor
{
    internal const string ElementName = "hsmEncryptedKey";

    private readonly Lazy<DataProtectionKeyCipher> _cipher;

    public HsmXmlEncryptor(DataProtectionKeyCipher cipher) => _cipher = new Lazy<DataProtectionKeyCipher>(cipher);

    /// <summary>
    /// Opens the token only when a key is written: Data Protection builds its options while the host starts, before
    /// the start-up checks name a wrong PIN or token label in one clear line.
    /// </summary>
    public HsmXmlEncryptor(Func<DataProtectionKeyCipher> cipher) => _cipher = new Lazy<DataProtectionKeyCipher>(cipher);

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        try
        {
            var element = new XElement(ElementName,
                new XAttribute("keyLabel", DataProtectionKeyCipher.KeyLabel),
                new XComment(" This key is encrypted with an AES-256 key inside the HSM; the token is needed to read it. "),
                new XElement("value", Convert.ToBase64String(_cipher.Value.Seal(plaintext))));
            return new EncryptedXmlInfo(element, typeof(HsmXmlDecryptor));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

/// <summary>
/// Reads what <see cref="HsmXmlEncryptor"/> wrote. Data Protection activates decryptors by type name with the
/// application's <see cref="IServiceProvider"/>; without the HSM registered there, nothing in the ring can be read.
/// </summary>
public sealed class HsmXmlDecryptor : IXmlDecryptor
{
    private readonly DataProtectionKeyCipher _cipher;

    public HsmXmlDecryptor(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _cipher = services.GetService<DataProtectionKeyCipher>()
            ?? throw new InvalidOperationException("The Data Protection key ring is encrypted under the HSM key \"data-protection-keys\", and this process has no HSM configured (AddIdentityHubHsm).");
    }

    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        if (encryptedElement.Name != HsmXmlEncryptor.ElementName || encryptedElement.Element("value") is not { } value)
        {
            throw new System.Security.Cryptography.CryptographicException($"Not an element written by {nameof(HsmXmlEncryptor)}.");
        }

        var plaintext = _cipher.Open(Convert.FromBase64String(value.Value));
        try
        {
            return XElement.Parse(Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}

public static class HsmDataProtectionBuilderExtensions
{
    /// <summary>
    /// Encrypts new key ring elements with <see cref="HsmXmlEncryptor"/> (needs <c>AddIdentityHubHsm</c>); elements are
    /// read back by <see cref="HsmXmlDecryptor"/>, named in each element.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithHsm(this IDataProtectionBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlEncryptor = new HsmXmlEncryptor(() => sp.GetRequiredService<DataProtectionKeyCipher>())));
        return builder;
    }
}
