using System.Globalization;
using System.Text;

namespace IdentityHub.Enrolment.Registry;

/// <summary>
/// The folded form of a name used for lookup and duplicate detection: case, diacritics, punctuation and spacing do not
/// separate "Ööström, Žofia" from "OOSTROM, ZOFIA" as typed at another counter. The record itself keeps the names as given.
/// </summary>
public static class SearchNames
{
    public static string Fold(string surname, string givenNames) => $"{FoldOne(surname)}|{FoldOne(givenNames)}";

    public static string FoldOne(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decomposed = name.Normalize(NormalizationForm.FormKD);
        var folded = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            if (char.IsLetterOrDigit(c))
            {
                if (pendingSpace && folded.Length > 0)
                {
                    folded.Append(' ');
                }

                pendingSpace = false;
                folded.Append(Special(char.ToLowerInvariant(c)));
            }
            else
            {
                // Spaces, hyphens and apostrophes separate name parts.
                pendingSpace = true;
            }
        }

        return folded.ToString();
    }

    /// <summary>Letters that do not decompose into a base letter + mark (ICAO 9303 Part 3 transliteration).</summary>
    private static string Special(char c) => c switch
    {
        'ß' => "ss",
        'æ' => "ae",
        'ø' => "o",
        'œ' => "oe",
        'ł' => "l",
        'đ' => "d",
        'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => c.ToString(),
    };
}
