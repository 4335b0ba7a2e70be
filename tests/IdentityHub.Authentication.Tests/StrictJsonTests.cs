using System.Text;
using IdentityHub.Authentication.Passkeys;
using Microsoft.AspNetCore.WebUtilities;

namespace IdentityHub.Authentication.Tests;

/// <summary>
/// The reader every WebAuthn answer passes first: one JSON object, each member name once per object (compared after
/// unescaping, without regard to case), at any depth, and the same inside response.clientDataJSON.
/// </summary>
public sealed class StrictJsonTests
{
    private static string ClientData(string json) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(json));

    private static readonly string Valid =
        "{\"id\":\"AQID\",\"rawId\":\"AQID\",\"type\":\"public-key\",\"clientExtensionResults\":{},\"response\":{\"clientDataJSON\":\""
        + ClientData("{\"type\":\"webauthn.get\",\"challenge\":\"abc\",\"origin\":\"https://hub.example\",\"crossOrigin\":false}")
        + "\",\"authenticatorData\":\"AAAA\",\"signature\":\"AAAA\",\"transports\":[\"usb\",\"nfc\"]}}";

    [Fact]
    public void A_well_formed_answer_passes()
    {
        Assert.Null(StrictJson.CredentialProblem(Valid));
    }

    [Theory]
    [InlineData("{\"id\":\"x\",\"id\":\"y\"}", "duplicate-member 'id'")]
    [InlineData("{\"id\":\"x\",\"ID\":\"y\"}", "duplicate-member 'ID'")]
    [InlineData("{\"response\":{},\"\\u0072esponse\":{}}", "duplicate-member 'response'")]
    [InlineData("{\"response\":{\"signature\":\"a\",\"Signature\":\"b\"}}", "duplicate-member 'Signature'")]
    [InlineData("{\"a\":[{\"k\":1},{\"k\":1,\"K\":2}]}", "duplicate-member 'K'")]
    [InlineData("{\"a\":{\"b\":{\"c\":{\"d\":1,\"d\":2}}}}", "duplicate-member 'd'")]
    public void A_member_named_twice_at_any_depth_is_refused(string json, string expected)
    {
        Assert.StartsWith(expected, StrictJson.CredentialProblem(json), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_name_in_sibling_objects_is_fine()
    {
        Assert.Null(StrictJson.CredentialProblem("{\"a\":{\"k\":1},\"b\":{\"k\":1},\"c\":[{\"k\":1},{\"k\":2}]}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("{\"a\":1} {\"b\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{/* note */\"a\":1}")]
    [InlineData("{\"a\":")]
    public void Anything_but_one_object_is_refused(string json)
    {
        Assert.NotNull(StrictJson.CredentialProblem(json));
    }

    [Fact]
    public void Nesting_deeper_than_sixteen_is_refused()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":", 20)) + "1" + new string('}', 20);
        Assert.StartsWith("malformed-json", StrictJson.CredentialProblem(deep), StringComparison.Ordinal);
    }

    [Fact]
    public void An_answer_over_64_KiB_is_refused()
    {
        Assert.Equal("too-large", StrictJson.CredentialProblem("{\"a\":\"" + new string('x', StrictJson.MaxLength) + "\"}"));
    }

    [Fact]
    public void A_client_data_with_a_member_twice_is_refused()
    {
        var forged = Valid.Replace(
            ClientData("{\"type\":\"webauthn.get\",\"challenge\":\"abc\",\"origin\":\"https://hub.example\",\"crossOrigin\":false}"),
            ClientData("{\"type\":\"webauthn.get\",\"challenge\":\"abc\",\"origin\":\"https://evil.example\",\"Origin\":\"https://hub.example\"}"),
            StringComparison.Ordinal);

        Assert.StartsWith("clientDataJSON: duplicate-member 'Origin'", StrictJson.CredentialProblem(forged), StringComparison.Ordinal);
    }
}
