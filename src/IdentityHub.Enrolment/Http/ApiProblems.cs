using Microsoft.AspNetCore.Http;

namespace IdentityHub.Enrolment.Http;

/// <summary>RFC 9457 problem details for the enrolment API; "code" is the stable machine-readable error.</summary>
internal static class ApiProblems
{
    private const string TypeBase = "https://identityhub.example/problems/";

    public static IResult From(IReadOnlyList<EnrolmentError> errors)
    {
        var code = errors[0].Code;
        var status = code switch
        {
            EnrolmentErrors.Validation => StatusCodes.Status400BadRequest,
            EnrolmentErrors.NotFound => StatusCodes.Status404NotFound,
            EnrolmentErrors.Forbidden or EnrolmentErrors.SupervisorRequired => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status409Conflict,
        };
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        var fieldErrors = errors.Where(e => e.Field is not null)
            .GroupBy(e => JsonName(e.Field!))
            .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray());
        if (fieldErrors.Count > 0)
        {
            extensions["errors"] = fieldErrors;
        }

        return Results.Problem(
            title: Title(code),
            detail: string.Join(" ", errors.Select(e => e.Message)),
            statusCode: status,
            type: TypeBase + code.Replace('_', '-'),
            extensions: extensions);
    }

    public static IResult Of(int status, string code, string detail) =>
        Results.Problem(title: Title(code), detail: detail, statusCode: status, type: TypeBase + code.Replace('_', '-'),
            extensions: new Dictionary<string, object?> { ["code"] = code });

    private static string Title(string code) => code switch
    {
        EnrolmentErrors.Validation => "The request has invalid fields",
        EnrolmentErrors.NotFound => "Not found",
        EnrolmentErrors.Forbidden => "Not allowed for this officer",
        EnrolmentErrors.FourEyes => "A different supervisor must approve",
        EnrolmentErrors.SupervisorRequired => "A supervisor must take this step",
        EnrolmentErrors.DuplicateDecisionRequired => "Possible duplicate needs an officer's decision",
        EnrolmentErrors.ActiveEidExists => "The person already holds an eID",
        EnrolmentErrors.OpenEnrolmentExists => "An open enrolment uses this document",
        "idempotency_key_reused" => "Idempotency-Key reused with a different request",
        "idempotency_key_in_progress" => "A request with this Idempotency-Key is still running",
        "idempotency_key_missing" => "Idempotency-Key header required",
        "malformed_request" => "Malformed request",
        "payload_too_large" => "The body is too large",
        "officer_session_required" or "officer_session_invalid" or "officer_session_of_another_device" or "second_factor_pending" => "An officer must be signed in on this device",
        "wrong_credentials" or "wrong_code" or "replayed_code" or "passkey_refused" => "Sign-in refused",
        "locked_out" or "not_an_officer" or "not_assigned_here" or "password_change_required" or "second_factor_not_set_up" or "method_not_allowed" or "already_signed_in"
            => "This officer cannot sign in here now",
        _ => "The request cannot be carried out in the current state",
    };

    private static string JsonName(string field) => field.Length == 0 ? field : char.ToLowerInvariant(field[0]) + field[1..];
}
