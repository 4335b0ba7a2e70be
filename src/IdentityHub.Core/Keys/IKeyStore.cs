namespace IdentityHub.Core.Keys;

/// <summary>Creates and finds long-lived service keys (CA, OCSP, TSA, protocol signing).</summary>
public interface IKeyStore
{
    /// <summary>Generates a new non-extractable key pair inside the store and returns a handle to it.</summary>
    ISigningKey Generate(string label, KeyAlgorithm algorithm);

    /// <summary>Finds a key by <see cref="ISigningKey.KeyId"/>; null when the store has no such key.</summary>
    ISigningKey? Find(string keyId);
}
