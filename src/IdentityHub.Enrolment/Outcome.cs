namespace IdentityHub.Enrolment;

/// <summary>Stable error codes: the console shows the message next to the field, the API turns them into ProblemDetails.</summary>
public static class EnrolmentErrors
{
    /// <summary>Input that breaks a rule (a field is named).</summary>
    public const string Validation = "validation";

    public const string NotFound = "not_found";

    /// <summary>The actor's role does not allow the step.</summary>
    public const string Forbidden = "forbidden";

    /// <summary>The step does not fit the current state (e.g. issuing before approval).</summary>
    public const string InvalidState = "invalid_state";

    /// <summary>The same officer tried to approve their own enrolment.</summary>
    public const string FourEyes = "four_eyes";

    /// <summary>The step is an officer's in general, but in this case only a supervisor may take it (e.g. replacing the eID of a citizen with an account).</summary>
    public const string SupervisorRequired = "supervisor_required";

    /// <summary>Possible duplicates were found; an officer decides before the enrolment goes on.</summary>
    public const string DuplicateDecisionRequired = "duplicate_decision_required";

    /// <summary>The person already holds an eID that is not revoked.</summary>
    public const string ActiveEidExists = "active_eid_exists";

    /// <summary>Another open enrolment already uses this identity document.</summary>
    public const string OpenEnrolmentExists = "open_enrolment_exists";
}

public sealed record EnrolmentError(string Code, string Message, string? Field = null);

/// <summary>The result of an enrolment step: a value, or the errors that stopped it (nothing was written then).</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000", Justification = "Factory methods on the result type read best at call sites: Outcome<T>.Failure(...).")]
public sealed class Outcome<T>
{
    private Outcome(T? value, IReadOnlyList<EnrolmentError> errors)
    {
        Value = value;
        Errors = errors;
    }

    public T? Value { get; }

    public IReadOnlyList<EnrolmentError> Errors { get; }

    public bool Succeeded => Errors.Count == 0;

    /// <summary>The code of the first error; every error of one outcome shares it.</summary>
    public string? ErrorCode => Errors.Count == 0 ? null : Errors[0].Code;

    public static Outcome<T> Success(T value) => new(value, []);

    public static Outcome<T> Failure(IReadOnlyList<EnrolmentError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A failure has at least one error.", nameof(errors)) : new(default, errors);

    public static Outcome<T> Failure(string code, string message, string? field = null) => new(default, [new EnrolmentError(code, message, field)]);

    public static implicit operator Outcome<T>(T value) => Success(value);

    public static implicit operator Outcome<T>(EnrolmentError error) => new(default, [error]);
}
