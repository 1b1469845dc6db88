using System.Buffers;
using System.Globalization;
using System.Text;

namespace LogoutFunction.Logout;

/// <summary>
/// Makes a caller-supplied value safe to put in a log line: control characters, line and
/// paragraph separators and bidirectional overrides become <c>\uXXXX</c>, so a user id cannot
/// start a forged line in a plain-text log or hide what follows it.
/// </summary>
internal static class LogSafe
{
    private static readonly SearchValues<char> Unsafe = SearchValues.Create(
        [.. Range('\u0000', '\u001f'), .. Range('\u007f', '\u009f'), '\u200e', '\u200f', '\u2028', '\u2029', .. Range('\u202a', '\u202e'), .. Range('\u2066', '\u2069')]);

    public static string Escape(string value)
    {
        var first = value.AsSpan().IndexOfAny(Unsafe);
        if (first < 0)
        {
            return value;
        }

        var escaped = new StringBuilder(value.Length + 16).Append(value, 0, first);
        foreach (var c in value.AsSpan(first))
        {
            if (Unsafe.Contains(c))
            {
                escaped.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    private static IEnumerable<char> Range(char first, char last)
    {
        for (var c = first; c <= last; c++)
        {
            yield return c;
        }
    }
}
