using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IdentityHub.Core.Identity;
using IdentityHub.Data.Registry;

namespace IdentityHub.Enrolment.Proofing;

/// <summary>The request after validation: normalised, typed, ready to store.</summary>
internal sealed record ValidEnrolment(
    string GivenNames,
    string Surname,
    DateOnly DateOfBirth,
    string PlaceOfBirth,
    string Nationality,
    string? Sex,
    string DocumentType,
    string DocumentNumber,
    string DocumentIssuingState,
    DateOnly DocumentExpiresOn,
    string ServicePoint,
    NationalId? ExistingNationalId)
{
    public EnrolmentPurpose Purpose { get; init; }

    public string? ChangeEvidence { get; init; }

    public string? PostalAddress { get; init; }
}

/// <summary>Checks an enrolment request field by field; every message says what to fix, next to the field it names.</summary>
internal static partial class EnrolmentValidator
{
    public static readonly IReadOnlyList<string> DocumentTypes = ["passport", "identity-card", "residence-permit"];

    public const int MaxNameLength = 200;

    /// <summary>Older than any living person (the oldest verified age is 122).</summary>
    public const int MaxAgeYears = 130;

    public static (ValidEnrolment? Valid, List<EnrolmentError> Errors) Validate(EnrolmentRequest request, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<EnrolmentError>();
        void Fail(string field, string message) => errors.Add(new EnrolmentError(EnrolmentErrors.Validation, message, field));

        var given = Name(request.GivenNames, "given names", nameof(request.GivenNames), Fail);
        var surname = Name(request.Surname, "surname", nameof(request.Surname), Fail);

        DateOnly birth = default;
        if (!TryDate(request.DateOfBirth, out birth))
        {
            Fail(nameof(request.DateOfBirth), "Enter the date of birth as year-month-day, for example 1984-03-27.");
        }
        else if (birth > today)
        {
            Fail(nameof(request.DateOfBirth), "The date of birth must be today or in the past.");
        }
        else if (birth < today.AddYears(-MaxAgeYears))
        {
            Fail(nameof(request.DateOfBirth), $"The date of birth is more than {MaxAgeYears} years ago: check the year.");
        }

        var place = Clean(request.PlaceOfBirth);
        if (place.Length == 0)
        {
            Fail(nameof(request.PlaceOfBirth), "Enter the place of birth.");
        }
        else if (place.Length > MaxNameLength || place.Any(char.IsControl))
        {
            Fail(nameof(request.PlaceOfBirth), $"The place of birth must be at most {MaxNameLength} characters of text.");
        }

        var nationality = Upper(request.Nationality);
        if (!CountryCode().IsMatch(nationality))
        {
            Fail(nameof(request.Nationality), "Enter the nationality as a three-letter country code (ISO 3166-1 alpha-3), for example EST.");
        }

        var sex = Upper(request.Sex);
        if (sex is not ("" or "F" or "M" or "X"))
        {
            Fail(nameof(request.Sex), "Sex is F, M, X or left empty.");
        }

        var documentType = (request.DocumentType ?? string.Empty).Trim().ToLowerInvariant();
        if (!DocumentTypes.Contains(documentType))
        {
            Fail(nameof(request.DocumentType), $"Choose the identity document type: {string.Join(", ", DocumentTypes)}.");
        }

        var documentNumber = Upper(request.DocumentNumber).Replace(" ", string.Empty, StringComparison.Ordinal);
        if (!DocumentNumberPattern().IsMatch(documentNumber))
        {
            Fail(nameof(request.DocumentNumber), "Enter the document number as printed: 5 to 20 letters A-Z and digits.");
        }

        var issuingState = Upper(request.DocumentIssuingState);
        if (!CountryCode().IsMatch(issuingState))
        {
            Fail(nameof(request.DocumentIssuingState), "Enter the issuing state as a three-letter country code (ISO 3166-1 alpha-3).");
        }

        DateOnly expires = default;
        if (!TryDate(request.DocumentExpiresOn, out expires))
        {
            Fail(nameof(request.DocumentExpiresOn), "Enter the document's expiry date as year-month-day, for example 2031-05-14.");
        }
        else if (expires < today)
        {
            Fail(nameof(request.DocumentExpiresOn), $"The identity document expired on {expires:yyyy-MM-dd}: an expired document cannot prove identity.");
        }

        var servicePoint = Clean(request.ServicePoint);
        if (servicePoint.Length == 0)
        {
            Fail(nameof(request.ServicePoint), "Choose the service point.");
        }

        NationalId? existing = null;
        if (!string.IsNullOrWhiteSpace(request.ExistingNationalId))
        {
            if (NationalId.TryParse(request.ExistingNationalId, out var id, out var error))
            {
                existing = id;
            }
            else
            {
                Fail(nameof(request.ExistingNationalId), error!);
            }
        }

        var (purpose, evidence, address) = ValidatePurposeAndAddress(request, existing is not null, Fail);
        return errors.Count > 0
            ? (null, errors)
            : (new ValidEnrolment(given, surname, birth, place, nationality, sex.Length == 0 ? null : sex, documentType, documentNumber,
                issuingState, expires, servicePoint, existing)
            { Purpose = purpose, ChangeEvidence = evidence, PostalAddress = address }, errors);
    }

    public const int MaxAddressLength = 500;

    /// <summary>
    /// What the enrolment is for and the registered postal address. A change of particulars is for a person already in
    /// the registry and names its evidence (a marriage certificate, a court order) besides the identity document.
    /// </summary>
    private static (EnrolmentPurpose Purpose, string? Evidence, string? Address) ValidatePurposeAndAddress(
        EnrolmentRequest request, bool existingPerson, Action<string, string> fail)
    {
        var purpose = EnrolmentPurpose.NewEid;
        var named = (request.Purpose ?? string.Empty).Trim();
        if (string.Equals(named, "changeOfParticulars", StringComparison.OrdinalIgnoreCase))
        {
            purpose = EnrolmentPurpose.ChangeOfParticulars;
        }
        else if (named.Length > 0 && !string.Equals(named, "newEid", StringComparison.OrdinalIgnoreCase))
        {
            fail(nameof(request.Purpose), "The purpose is newEid or changeOfParticulars.");
        }

        string? evidence = null;
        if (purpose == EnrolmentPurpose.ChangeOfParticulars)
        {
            if (!existingPerson)
            {
                fail(nameof(request.ExistingNationalId), "A change of particulars is for a person in the registry: enter their national identifier.");
            }

            evidence = Clean(request.ChangeEvidence);
            if (evidence.Length is 0 or > 1000 || evidence.Any(char.IsControl))
            {
                fail(nameof(request.ChangeEvidence), "Name the evidence for the change (at most 1000 characters), e.g. \"marriage certificate 123/2026\".");
            }
        }

        var lines = (request.PostalAddress ?? string.Empty).Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')
            .Select(Clean).Where(l => l.Length > 0).ToList();
        var address = string.Join('\n', lines);
        if (address.Length > MaxAddressLength || lines.Count > 6 || lines.Any(l => l.Any(char.IsControl)))
        {
            fail(nameof(request.PostalAddress), $"The postal address must be at most 6 lines and {MaxAddressLength} characters.");
        }

        return (purpose, evidence, address.Length == 0 ? null : address);
    }

    public static EnrolmentError? ValidatePhoto(FacePhoto photo)
    {
        const int MaxBytes = 2 * 1024 * 1024;
        const string Field = "Photo";
        if (photo.Content.Length == 0)
        {
            return new EnrolmentError(EnrolmentErrors.Validation, "Take or choose a face photo.", Field);
        }

        if (photo.Content.Length > MaxBytes)
        {
            return new EnrolmentError(EnrolmentErrors.Validation, "The face photo must be at most 2 MB.", Field);
        }

        // Trust the bytes, not the declared type: JPEG starts FF D8 FF, PNG with its 8-byte signature.
        var isJpeg = photo.Content.AsSpan().StartsWith((byte[])[0xFF, 0xD8, 0xFF]);
        var isPng = photo.Content.AsSpan().StartsWith((byte[])[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        return isJpeg || isPng ? null : new EnrolmentError(EnrolmentErrors.Validation, "The face photo must be a JPEG or PNG image.", Field);
    }

    public static string PhotoContentType(FacePhoto photo) => photo.Content.AsSpan().StartsWith((byte[])[0xFF, 0xD8, 0xFF]) ? "image/jpeg" : "image/png";

    private static string Name(string? value, string label, string field, Action<string, string> fail)
    {
        var name = Clean(value);
        if (name.Length == 0)
        {
            fail(field, $"Enter the {label} as written in the identity document.");
        }
        else if (name.Length > MaxNameLength)
        {
            fail(field, $"The {label} must be at most {MaxNameLength} characters.");
        }
        else if (!name.All(c => char.IsLetter(c) || c is ' ' or '-' or '\'' or '’' || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark))
        {
            fail(field, $"The {label} may hold letters (any alphabet), spaces, hyphens and apostrophes only.");
        }

        return name;
    }

    /// <summary>NFC (so "é" typed two ways is stored one way), trimmed, inner runs of spaces collapsed.</summary>
    private static string Clean(string? value) =>
        MultipleSpaces().Replace((value ?? string.Empty).Normalize(NormalizationForm.FormC).Trim(), " ");

    private static string Upper(string? value) => (value ?? string.Empty).Trim().ToUpperInvariant();

    private static bool TryDate(string? value, out DateOnly date) =>
        DateOnly.TryParseExact((value ?? string.Empty).Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex("^[A-Z0-9]{5,20}$")]
    private static partial Regex DocumentNumberPattern();

    [GeneratedRegex(@"\s{2,}")]
    private static partial Regex MultipleSpaces();
}
