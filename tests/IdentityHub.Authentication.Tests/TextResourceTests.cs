using System.Text.RegularExpressions;
using System.Xml.Linq;
using IdentityHub.Authentication.Activation;
using IdentityHub.Authentication.Assurance;
using IdentityHub.Authentication.Login;
using IdentityHub.Authentication.Passkeys;

namespace IdentityHub.Authentication.Tests;

/// <summary>
/// The sign-in pages' English texts are all in Resources/Texts.resx (a second language is a Texts.{culture}.resx with
/// the same names): every name the pages ask for, and one text per error code the services return, is there.
/// </summary>
public sealed partial class TextResourceTests
{
    private static readonly string Server = Path.Combine(RepositoryRoot(), "src", "IdentityHub.Server");

    private static readonly HashSet<string> Names = XDocument.Load(Path.Combine(Server, "Resources", "Texts.resx")).Root!
        .Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);

    [Fact]
    public void Every_text_a_page_asks_for_is_in_the_resource_file()
    {
        var used = Directory.EnumerateFiles(Path.Combine(Server, "Pages"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cshtml", StringComparison.Ordinal) || f.EndsWith(".cs", StringComparison.Ordinal))
            .SelectMany(f => TextKey().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .Where(k => !k.EndsWith('.'))
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(used);
        var missing = used.Where(k => !Names.Contains(k)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "missing texts: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_error_code_and_level_has_its_text()
    {
        var expected = Enum.GetNames<LoginError>().Select(n => "Login.Error." + n)
            .Concat(Enum.GetNames<PasskeyError>().Select(n => "Passkey.Error." + n))
            .Concat(Enum.GetNames<ActivationError>().Select(n => "Activate.Error." + n))
            .Concat(Enum.GetNames<Recovery.RecoveryError>().Select(n => "Recover.Error." + n))
            .Concat(Enum.GetNames<LevelOfAssurance>().Select(n => "Level." + n))
            .Concat(Enum.GetNames<AuthenticatorChange>().Select(n => "Account.Change." + n));

        var missing = expected.Where(k => !Names.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "missing texts: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_notice_the_library_writes_has_its_words_for_each_kind_of_authenticator()
    {
        var missing = Notices.NoticeKinds.All
            .Where(kind => !Names.Contains("Notice." + kind)
                && !new[] { Authenticators.PasskeyKind, Authenticators.TotpKind }.All(factor => Names.Contains($"Notice.{kind}.{factor}")))
            .Append(Names.Contains("Notice.Other") ? null : "Notice.Other")
            .OfType<string>()
            .ToList();
        Assert.True(missing.Count == 0, "missing texts: " + string.Join(", ", missing));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IdentityHub.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IdentityHub.sln not found above the test directory.");
    }

    [GeneratedRegex(@"\b[Tt]\[""([A-Za-z.\-]+)""")]
    private static partial Regex TextKey();
}
