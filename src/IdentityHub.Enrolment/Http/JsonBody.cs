using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdentityHub.Enrolment.Http;

/// <summary>A JSON body that can report why it could not be read (the endpoint filter answers with the problem).</summary>
internal interface IJsonBody
{
    IResult? Problem { get; }
}

/// <summary>
/// A JSON request body read by the hub itself instead of the framework's binder, so that every failure gets the API's
/// problem format with a stable code: a body over the limit is 413 "payload_too_large" (the server stops reading at the
/// limit), malformed JSON is 400 "malformed_request". <see cref="RefuseUnreadableAsync"/> answers before the handler runs.
/// </summary>
internal sealed class JsonBody<T> : IJsonBody, IBindableFromHttpContext<JsonBody<T>>
    where T : class
{
    private JsonBody(T? value, IResult? problem)
    {
        Value = value!;
        Problem = problem;
    }

    public T Value { get; }

    public IResult? Problem { get; }

    public static async ValueTask<JsonBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.ContentLength > IdempotentRequests.MaxBodyBytes)
        {
            return new JsonBody<T>(null, IdempotentRequests.TooLarge());
        }

        try
        {
            var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, options, context.RequestAborted);
            return value is null
                ? new JsonBody<T>(null, ApiProblems.Of(400, "malformed_request", "The body is empty: send a JSON object."))
                : new JsonBody<T>(value, null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new JsonBody<T>(null, IdempotentRequests.TooLarge());
        }
        catch (JsonException ex)
        {
            return new JsonBody<T>(null, ApiProblems.Of(400, "malformed_request", $"The body is not valid JSON for this operation: {ex.Message}"));
        }
    }
}

/// <summary>The endpoint filter for <see cref="JsonBody{T}"/> parameters.</summary>
internal static class JsonBodies
{
    /// <summary>Endpoint filter: a body that could not be read is answered with its problem, and the handler does not run.</summary>
    public static async ValueTask<object?> RefuseUnreadableAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Arguments.OfType<IJsonBody>().FirstOrDefault(b => b.Problem is not null) is { } body ? body.Problem : await next(context);
    }
}
