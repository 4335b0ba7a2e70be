using IdentityHub.Signing.Documents;

namespace IdentityHub.Signing.Validation;

/// <summary>What was uploaded for validation: the signed document and, for detached signatures, the originals it signs.</summary>
public sealed record ValidationInput(string Name, ReadOnlyMemory<byte> Document, IReadOnlyList<SignedFile> DetachedContents);

/// <summary>
/// Reads the signatures of one document format into <see cref="SignatureEvidence"/> (digests, signature values,
/// the signing-certificate reference, embedded certificates, time-stamps and revocation data), judging nothing about
/// trust or time. Hostile input ends in <see cref="DocumentRejectedException"/>, never in an unbounded parse.
/// </summary>
internal interface ISignatureReader
{
    /// <summary>"PAdES", "XAdES", "CAdES", "ASiC-E (XAdES)" …: the container name the report shows.</summary>
    string Container { get; }

    /// <summary>Whether this reader recognises the document (by its first bytes and name), without reading it fully.</summary>
    bool CanRead(ValidationInput input);

    Task<IReadOnlyList<SignatureEvidence>> ReadAsync(ValidationInput input, CancellationToken cancellationToken);
}
