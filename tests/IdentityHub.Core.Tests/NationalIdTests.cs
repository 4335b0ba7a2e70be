using IdentityHub.Core.Identity;

namespace IdentityHub.Core.Tests;

public sealed class NationalIdTests
{
    [Theory]
    [InlineData("236", '3')] // the textbook example
    [InlineData("12345", '1')]
    [InlineData("142857", '0')]
    [InlineData("4829317065", '6')] // the example in docs/national-identifier.md
    public void Verhoeff_matches_published_examples(string digits, char check)
    {
        Assert.Equal(check, Verhoeff.CheckDigit(digits));
        Assert.True(Verhoeff.IsValid(digits + check));
    }

    [Fact]
    public void New_identifiers_are_valid_eleven_digits_not_starting_with_zero()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => NationalId.NewId().Value).ToList();

        Assert.All(ids, id => Assert.Matches("^[1-9][0-9]{10}$", id));
        Assert.All(ids, id => Assert.True(NationalId.TryParse(id, out _, out _)));
        Assert.True(ids.Distinct().Count() > 9_990, "ten random digits rarely collide in 10,000 draws");
    }

    [Fact]
    public void Every_single_digit_mistake_is_caught()
    {
        var id = NationalId.NewId().Value;
        for (var position = 1; position < NationalId.Length; position++) // position 0 changes may hit the leading-zero rule
        {
            for (var digit = '0'; digit <= '9'; digit++)
            {
                if (digit == id[position])
                {
                    continue;
                }

                var typo = string.Concat(id.AsSpan(0, position), digit.ToString(), id.AsSpan(position + 1));
                Assert.False(NationalId.TryParse(typo, out _, out var error), typo);
                Assert.Equal("This national identifier is not valid: check for a mistyped digit.", error);
            }
        }
    }

    [Fact]
    public void Every_swap_of_neighbouring_digits_is_caught()
    {
        for (var sample = 0; sample < 200; sample++)
        {
            var id = NationalId.NewId().Value;
            for (var i = 1; i < NationalId.Length - 1; i++)
            {
                if (id[i] == id[i + 1])
                {
                    continue;
                }

                var swapped = id.ToCharArray();
                (swapped[i], swapped[i + 1]) = (swapped[i + 1], swapped[i]);
                Assert.False(NationalId.TryParse(new string(swapped), out _, out _), new string(swapped));
            }
        }
    }

    [Theory]
    [InlineData("", "Enter a national identifier.")]
    [InlineData("12345abcde1", "A national identifier has digits only.")]
    [InlineData("1234567890", "A national identifier has 11 digits; this has 10.")]
    [InlineData("01234567890", "A national identifier never starts with 0.")]
    public void Malformed_input_gets_a_clear_message(string input, string message)
    {
        Assert.False(NationalId.TryParse(input, out var id, out var error));
        Assert.Null(id);
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => NationalId.Parse(input)).Message);
    }

    [Fact]
    public void Spaces_and_dashes_people_type_are_ignored()
    {
        var id = NationalId.NewId().Value;
        var typed = $"{id[..3]} {id[3..7]}-{id[7..]}";

        Assert.Equal(id, NationalId.Parse(typed).Value);
    }
}
