using Microsoft.AspNetCore.Http.Metadata;

namespace IdentityHub.Enrolment.Http;

/// <summary>
/// Endpoint metadata that endpoint routing applies to the server's body limit before the endpoint runs, so a body
/// above it is refused by the server (413) before anything reads it, chunked bodies included.
/// </summary>
internal sealed class BodySizeLimit(long maxRequestBodySize) : IRequestSizeLimitMetadata
{
    public long? MaxRequestBodySize { get; } = maxRequestBodySize;
}
