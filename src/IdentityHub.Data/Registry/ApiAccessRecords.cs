namespace IdentityHub.Data.Registry;

/// <summary>A counter or office where officers enrol people; API credentials are bound to one.</summary>
public sealed class ServicePointRecord
{
    public required string Code { get; set; }

    public required string Name { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }
}

/// <summary>An API credential of a counter device or batch job: only the SHA-256 of its high-entropy secret is kept.</summary>
public sealed class ApiCredentialRecord
{
    public Guid Id { get; set; }

    public required string ServicePoint { get; set; }

    public required string Name { get; set; }

    public required byte[] SecretHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
}

/// <summary>The answer to a create/issue request, kept under the caller's Idempotency-Key so a retry never acts twice.</summary>
public sealed class IdempotencyRecord
{
    public Guid CredentialId { get; set; }

    public required string Key { get; set; }

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; set; }

    public int StatusCode { get; set; }

    public required string ResponseBody { get; set; }

    public string? Location { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
