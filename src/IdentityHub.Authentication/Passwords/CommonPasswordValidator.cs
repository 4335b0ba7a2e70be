using System.Reflection;
using IdentityHub.Data.Accounts;
using Microsoft.AspNetCore.Identity;

namespace IdentityHub.Authentication.Passwords;

/// <summary>
/// NIST SP 800-63B §5.1.1.2: a new password is checked against values known to be commonly used or compromised, and
/// against context-specific words (the username, the service's name), instead of composition rules. The list ships with
/// the hub (common-passwords.txt, from zxcvbn's MIT-licensed frequency list, 17,950 entries of 8+ characters) and is
/// compared without regard to case.
/// </summary>
public sealed class CommonPasswordValidator : IPasswordValidator<HubAccount>
{
    public const string ErrorCode = "PasswordTooCommon";

    private static readonly Lazy<HashSet<string>> Common = new(Load);
    private static readonly string[] ServiceWords = ["identityhub", "identity hub"];

    public Task<IdentityResult> ValidateAsync(UserManager<HubAccount> manager, HubAccount user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var candidate = (password ?? string.Empty).Trim().ToLowerInvariant();
        var userName = (user.UserName ?? string.Empty).ToLowerInvariant();
        var contextual = (userName.Length >= 4 && candidate.Contains(userName, StringComparison.Ordinal))
            || ServiceWords.Any(w => candidate.Contains(w, StringComparison.Ordinal));
        return Task.FromResult(Common.Value.Contains(candidate) || contextual
            ? IdentityResult.Failed(new IdentityError
            {
                Code = ErrorCode,
                Description = "This password is too common or too easy to guess from your account: choose another. A few unrelated words make a strong password.",
            })
            : IdentityResult.Success);
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("IdentityHub.Authentication.Passwords.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                set.Add(line);
            }
        }

        return set;
    }
}
