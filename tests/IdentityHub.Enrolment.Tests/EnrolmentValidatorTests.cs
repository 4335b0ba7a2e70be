using IdentityHub.Enrolment.Proofing;

namespace IdentityHub.Enrolment.Tests;

public sealed class EnrolmentValidatorTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    private static EnrolmentRequest Valid() => new()
    {
        GivenNames = "Žofia  Anna",
        Surname = "Ņikolajeva-Öström",
        DateOfBirth = "1987-03-27",
        PlaceOfBirth = "Tallinn",
        Nationality = "est",
        Sex = "f",
        DocumentType = "Passport",
        DocumentNumber = "ab 123 4567",
        DocumentIssuingState = "EST",
        DocumentExpiresOn = "2026-11-24",
        ServicePoint = "TLN-01",
    };

    [Fact]
    public void A_valid_request_is_normalised()
    {
        var (valid, errors) = EnrolmentValidator.Validate(Valid(), Today);

        Assert.Empty(errors);
        Assert.Equal("Žofia Anna", valid!.GivenNames);
        Assert.Equal("EST", valid.Nationality);
        Assert.Equal("F", valid.Sex);
        Assert.Equal("passport", valid.DocumentType);
        Assert.Equal("AB1234567", valid.DocumentNumber);
    }

    [Fact]
    public void Decomposed_diacritics_are_stored_composed()
    {
        var (valid, _) = EnrolmentValidator.Validate(Valid() with { Surname = "Mu\u0308ller" }, Today);

        Assert.Equal("Müller", valid!.Surname);
    }

    [Theory]
    [InlineData(nameof(EnrolmentRequest.DateOfBirth), "2026-11-25")]
    [InlineData(nameof(EnrolmentRequest.DateOfBirth), "27.03.1987")]
    [InlineData(nameof(EnrolmentRequest.DateOfBirth), "1890-01-01")]
    [InlineData(nameof(EnrolmentRequest.DocumentExpiresOn), "2026-11-23")]
    [InlineData(nameof(EnrolmentRequest.Nationality), "EE")]
    [InlineData(nameof(EnrolmentRequest.DocumentIssuingState), "E5T")]
    [InlineData(nameof(EnrolmentRequest.Sex), "Q")]
    [InlineData(nameof(EnrolmentRequest.DocumentType), "library-card")]
    [InlineData(nameof(EnrolmentRequest.DocumentNumber), "AB-12")]
    [InlineData(nameof(EnrolmentRequest.Surname), "")]
    [InlineData(nameof(EnrolmentRequest.Surname), "Tamm3")]
    [InlineData(nameof(EnrolmentRequest.GivenNames), "<script>")]
    [InlineData(nameof(EnrolmentRequest.PlaceOfBirth), "")]
    [InlineData(nameof(EnrolmentRequest.ServicePoint), "")]
    [InlineData(nameof(EnrolmentRequest.ExistingNationalId), "1234567890")]
    public void Each_rule_names_its_field(string field, string value)
    {
        var request = (EnrolmentRequest)typeof(EnrolmentRequest).GetMethod("<Clone>$")!.Invoke(Valid(), null)!;
        typeof(EnrolmentRequest).GetProperty(field)!.SetValue(request, value);

        var (valid, errors) = EnrolmentValidator.Validate(request, Today);

        Assert.Null(valid);
        Assert.Equal(field, Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0 }, true)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0 }, true)]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46 }, false)]
    [InlineData(new byte[0], false)]
    public void Photos_are_recognised_by_their_bytes(byte[] content, bool accepted) =>
        Assert.Equal(accepted, EnrolmentValidator.ValidatePhoto(new FacePhoto("image/jpeg", content)) is null);
}
