using IdentityHub.Saml.Bindings;

namespace IdentityHub.Saml.Tests.PostForm;

/// <summary>saml-bindings §3.5.4: the auto-posting form, inert for hostile values and usable without JavaScript.</summary>
public sealed class PostBindingFormTests
{
    private const string AcsUrl = "https://benefits.agency.example.gov/saml/acs";

    [Fact]
    public void A_RelayState_that_tries_to_close_the_attribute_stays_inert()
    {
        var html = PostBindingForm.Html(AcsUrl, "SAMLResponse", "PHNhbWxwOlJlc3BvbnNlLz4=", "\"><script>alert(1)</script>");

        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.DoesNotContain("\"><script>alert", html, StringComparison.Ordinal);
        Assert.Contains("name=\"RelayState\" value=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"", html, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(html, "<script"));
    }

    [Fact]
    public void The_message_and_action_are_attribute_encoded()
    {
        var html = PostBindingForm.Html("https://sp.example.gov/acs?a=1&b=\"2\"", "SAMLResponse", "ab+/=", null, null);

        Assert.Contains("action=\"https://sp.example.gov/acs?a=1&amp;b=&quot;2&quot;\"", html, StringComparison.Ordinal);
        Assert.Contains("<input type=\"hidden\" name=\"SAMLResponse\" value=\"ab&#x2B;/=\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"RelayState\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_Continue_button_and_noscript_text_make_it_work_with_JavaScript_off()
    {
        var html = PostBindingForm.Html(AcsUrl, "SAMLRequest", "abc", "state", null);

        Assert.Contains("<button type=\"submit\">Continue</button>", html, StringComparison.Ordinal);
        Assert.Contains("<noscript>", html, StringComparison.Ordinal);
        Assert.Contains("method=\"post\"", html, StringComparison.Ordinal);
        Assert.Contains("name=\"SAMLRequest\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_form_posts_itself_with_the_hubs_own_script_file_and_has_no_inline_script_or_handlers()
    {
        var html = PostBindingForm.Html(AcsUrl, "SAMLResponse", "abc", null);

        // The hub's CSP (script-src 'self') runs no inline script: the submit is in /assets/saml-post.js.
        Assert.Contains("<script src=\"/assets/saml-post.js\"></script>", html, StringComparison.Ordinal);
        Assert.DoesNotContain(".submit()", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onload", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("onclick", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.Ordinal);
        Assert.Equal(1, Occurrences(html, "src="));
    }

    [Fact]
    public void The_page_declares_its_language_and_title()
    {
        var html = PostBindingForm.Html(AcsUrl, "SAMLResponse", "abc", null, null);

        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Matches("<title>[^<]+</title>", html);
        Assert.Contains("<script src=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_SAMLResponse_and_SAMLRequest_are_message_parameters()
    {
        Assert.Throws<ArgumentException>(() => PostBindingForm.Html(AcsUrl, "\"><b>", "abc", null, null));
    }

    private static int Occurrences(string text, string value) =>
        (text.Length - text.Replace(value, "", StringComparison.Ordinal).Length) / value.Length;
}
