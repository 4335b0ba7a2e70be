using IdentityHub.Authentication.Passwords;
using IdentityHub.Data.Accounts;

namespace IdentityHub.Authentication.Tests;

public sealed class CommonPasswordValidatorTests
{
    private static async Task<bool> AcceptedAsync(string password, string userName = "olga.officer") =>
        (await new CommonPasswordValidator().ValidateAsync(null!, new HubAccount { UserName = userName }, password)).Succeeded;

    [Theory]
    [InlineData("qwerty123456")]
    [InlineData("QWERTY123456")]
    [InlineData("  1qaz2wsx3edc ")]
    [InlineData("leavemealone")]
    public async Task Common_passwords_are_refused_whatever_their_case(string password) => Assert.False(await AcceptedAsync(password));

    [Theory]
    [InlineData("olga.officer2026!")]
    [InlineData("my identityhub password")]
    public async Task Passwords_built_from_the_account_or_the_service_are_refused(string password) => Assert.False(await AcceptedAsync(password));

    [Fact]
    public async Task A_passphrase_of_unrelated_words_is_accepted() => Assert.True(await AcceptedAsync("violet tram under seventeen kites"));

    [Fact]
    public async Task The_refusal_says_what_to_do()
    {
        var result = await new CommonPasswordValidator().ValidateAsync(null!, new HubAccount { UserName = "x" }, "password1234");

        Assert.Equal(CommonPasswordValidator.ErrorCode, Assert.Single(result.Errors).Code);
        Assert.Contains("too common", result.Errors.Single().Description, StringComparison.Ordinal);
    }
}
