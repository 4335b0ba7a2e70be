using IdentityHub.Core.Identity;
using IdentityHub.Enrolment.Issuance;

namespace IdentityHub.Enrolment.Tests;

public sealed class ActivationCodeTests
{
    [Fact]
    public void Codes_are_grouped_crockford_base32_and_differ()
    {
        var codes = Enumerable.Range(0, 200).Select(_ => ActivationCodes.New()).ToList();

        Assert.All(codes, c => Assert.Matches("^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$", c));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }

    [Fact]
    public void A_code_matches_as_people_type_it_and_only_for_its_own_eID()
    {
        var eid = Guid.NewGuid();
        var hash = ActivationCodes.Hash(eid, "AB01-CD1E-FGHJ");

        Assert.True(ActivationCodes.Matches(eid, "ab01cd1efghj", hash));
        Assert.True(ActivationCodes.Matches(eid, "AB0I CDLE FGHJ", hash)); // I and L read as 1, O as 0
        Assert.True(ActivationCodes.Matches(eid, "ABO1-CD1E-FGHJ", hash));
        Assert.False(ActivationCodes.Matches(eid, "AB01-CD1E-FGHK", hash));
        Assert.False(ActivationCodes.Matches(Guid.NewGuid(), "AB01-CD1E-FGHJ", hash));
    }

    [Fact]
    public void Document_numbers_carry_a_check_digit()
    {
        var number = DocumentNumbers.New();

        Assert.True(DocumentNumbers.IsValid(number));
        Assert.False(DocumentNumbers.IsValid(number[..^1] + (char)('0' + ((number[^1] - '0' + 1) % 10))));
        Assert.False(DocumentNumbers.IsValid("XX" + number[2..]));
    }
}
