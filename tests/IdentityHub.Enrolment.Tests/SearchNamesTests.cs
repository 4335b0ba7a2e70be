using IdentityHub.Enrolment.Registry;

namespace IdentityHub.Enrolment.Tests;

public sealed class SearchNamesTests
{
    [Theory]
    [InlineData("Männik-Ševtšenko", "mannik sevtsenko")]
    [InlineData("MANNIK SEVTSENKO", "mannik sevtsenko")]
    [InlineData("  Ņikolajeva--Öström ", "nikolajeva ostrom")]
    [InlineData("Łukasiewicz", "lukasiewicz")]
    [InlineData("Weiß", "weiss")]
    [InlineData("Ærøskøbing", "aeroskobing")]
    [InlineData("O'Brien", "o brien")]
    public void Folding_ignores_case_diacritics_and_separators(string name, string folded) =>
        Assert.Equal(folded, SearchNames.FoldOne(name));

    [Fact]
    public void Surname_and_given_names_stay_apart() =>
        Assert.NotEqual(SearchNames.Fold("Anna", "Maria"), SearchNames.Fold("Maria", "Anna"));
}
