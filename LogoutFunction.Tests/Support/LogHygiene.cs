using System.Text.RegularExpressions;

namespace LogoutFunction.Tests.Support;

/// <summary>
/// What no log line may hold: a token (anything JWT-shaped, a bearer credential, a refresh
/// token the test knows of), key material, a storage key or signature, or a raw control
/// character that could end a line early or hide what follows.
/// </summary>
public static partial class LogHygiene
{
    public static void AssertClean(IEnumerable<string> entries, params IEnumerable<string> secrets)
    {
        var known = secrets.Where(s => s.Length >= 8).ToHashSet(StringComparer.Ordinal);
        var findings = new List<string>();
        foreach (var line in entries.SelectMany(e => e.Split('\n')))
        {
            var finding = Forbidden().Match(line) is { Success: true } match ? $"'{match.Value[..Math.Min(match.Value.Length, 24)]}...'"
                : line.Any(char.IsControl) ? "a control character"
                : known.FirstOrDefault(line.Contains) is { } secret ? $"the secret starting '{secret[..8]}'"
                : null;
            if (finding is not null)
            {
                findings.Add($"{finding} in: {Printable(line)}");
            }
        }

        Assert.True(findings.Count == 0, $"{findings.Count} log line(s) hold what they must not:\n" + string.Join('\n', findings.Take(10)));
    }

    private static string Printable(string line) =>
        new string([.. line.Take(160).Select(c => char.IsControl(c) ? '?' : c)]);

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*|(?i:bearer\s+[A-Za-z0-9._~+/-]{8,})|(?i:authorization:)|-----BEGIN|PRIVATE KEY|AccountKey=|(?i:[?&]sig=)|(?i:SharedAccessSignature)")]
    private static partial Regex Forbidden();
}
