using Microsoft.AspNetCore.Http;

namespace IdentityHub.Saml.Bindings;

/// <summary>The HTTP-POST binding's form (saml-bindings-2.0-os §3.5.4) read from the request, then the message in it.</summary>
internal static class PostBindingRequest
{
    public static async Task<SamlReadResult> ReadAsync(HttpRequest request, int maxMessageBytes, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return SamlMessageReader.ReadPost(null, null, maxMessageBytes);
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // ASP.NET's form reader throws on a form it will not decode (a %00 in a value, a field past its limits,
            // a multipart body without a boundary): a bad request, not a server error.
            return SamlReadResult.Refused(SamlProblem.Requester(SamlProblemCodes.MalformedForm, "The form could not be read."));
        }

        return SamlMessageReader.ReadPost(form["SAMLRequest"], form["RelayState"], maxMessageBytes);
    }
}
