namespace IdentityHub.Pki.Tests;

public sealed class SerialNumberTests
{
    [Fact]
    public void Serials_are_positive_sixteen_octets_and_unique()
    {
        var serials = Enumerable.Range(0, 1000).Select(_ => SerialNumbers.NewSerial()).ToList();

        Assert.All(serials, s => Assert.Equal(1, s.SignValue));
        Assert.All(serials, s => Assert.Equal(127, s.BitLength));
        Assert.Equal(1000, serials.Select(SerialNumbers.ToHex).Distinct().Count());
    }

    [Theory]
    [InlineData("4C:0E:41:EB", "4c0e41eb")]
    [InlineData("0x00ff", "ff")]
    [InlineData(" 4c0e 41eb ", "4c0e41eb")]
    public void Operator_input_is_normalised_to_the_registry_form(string input, string expected) =>
        Assert.Equal(expected, SerialNumbers.Normalise(input));

    [Theory]
    [InlineData("")]
    [InlineData("xyz")]
    [InlineData("0x")]
    [InlineData("00112233445566778899aabbccddeeff0011223344")]
    public void Nonsense_serials_are_refused(string input) =>
        Assert.Throws<FormatException>(() => SerialNumbers.Normalise(input));
}
