using IdentityHub.Enrolment;
using IdentityHub.Enrolment.Proofing;
using IdentityHub.Server.OfficerConsole;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace IdentityHub.Server.Pages.Console.Enrolments;

/// <summary>The enrolment form's fields; names match the enrolment request so errors land next to their field.</summary>
internal sealed class EnrolmentForm
{
    public const string DateOfBirthLabel = "Date of birth";
    public const string ExpiryLabel = "Expiry date";

    /// <summary>The fields in the order the page shows them: the error summary lists errors in this order.</summary>
    public static readonly IReadOnlyList<string> FieldOrder =
    [
        "GivenNames", "Surname", "DateOfBirth", "PlaceOfBirth", "Nationality", "Sex",
        "DocumentType", "DocumentNumber", "DocumentIssuingState", "DocumentExpiresOn", "Photo",
        "ChangeEvidence", "PostalAddress", "ServicePoint",
    ];

    public string? GivenNames { get; set; }

    public string? Surname { get; set; }

    public DateParts DateOfBirth { get; set; } = new();

    public string? PlaceOfBirth { get; set; }

    public string? Nationality { get; set; }

    public string? Sex { get; set; }

    public string? DocumentType { get; set; }

    public string? DocumentNumber { get; set; }

    public string? DocumentIssuingState { get; set; }

    public DateParts DocumentExpiresOn { get; set; } = new();

    public string? ServicePoint { get; set; }

    public string? ExistingNationalId { get; set; }

    /// <summary>Change of particulars only: the evidence for it (marriage certificate, court order).</summary>
    public string? ChangeEvidence { get; set; }

    /// <summary>Change of particulars only: the registered postal address, one line per line.</summary>
    public string? PostalAddress { get; set; }

    /// <summary>
    /// The request for the enrolment service, and the errors of dates that are missing or not real (named with their
    /// legend). Such a date goes to the service as null, so the service refuses the request too and nothing is saved.
    /// </summary>
    public (EnrolmentRequest Request, IReadOnlyList<EnrolmentError> DateErrors) Read()
    {
        var errors = new List<EnrolmentError>();
        string? Date(DateParts parts, string label, string field)
        {
            var (iso, error) = parts.Read(label);
            if (error is not null)
            {
                errors.Add(new EnrolmentError(EnrolmentErrors.Validation, error, field));
            }

            return iso;
        }

        var request = new EnrolmentRequest
        {
            GivenNames = GivenNames,
            Surname = Surname,
            DateOfBirth = Date(DateOfBirth, DateOfBirthLabel, nameof(DateOfBirth)),
            PlaceOfBirth = PlaceOfBirth,
            Nationality = Nationality,
            Sex = Sex,
            DocumentType = DocumentType,
            DocumentNumber = DocumentNumber,
            DocumentIssuingState = DocumentIssuingState,
            DocumentExpiresOn = Date(DocumentExpiresOn, ExpiryLabel, nameof(DocumentExpiresOn)),
            ServicePoint = ServicePoint,
            ExistingNationalId = ExistingNationalId,
            ChangeEvidence = ChangeEvidence,
            PostalAddress = PostalAddress,
        };
        return (request, errors);
    }

    /// <summary>The form's own date errors, then the service's for the other fields (its "enter a date" would repeat ours).</summary>
    public static void AddErrors(ModelStateDictionary modelState, IReadOnlyList<EnrolmentError> dateErrors, IReadOnlyList<EnrolmentError> serviceErrors)
    {
        modelState.Clear();
        modelState.AddErrors(dateErrors);
        modelState.AddErrors([.. serviceErrors.Where(e => !dateErrors.Any(d => d.Field == e.Field))]);
    }

    /// <summary>The uploaded face photo, or null when none was chosen.</summary>
    public static async Task<FacePhoto?> PhotoAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is not { Length: > 0 })
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        return new FacePhoto(file.ContentType, buffer.ToArray());
    }
}
