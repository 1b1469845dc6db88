using System.Text.RegularExpressions;

namespace Delivery.Tests;

/// <summary>
/// Every relative link in the repository's Markdown resolves: to a file or folder that exists, and,
/// with a <c>#fragment</c> into Markdown, to a heading there (GitHub's anchors).
/// </summary>
public sealed partial class DocumentationLinksTests
{
    private static readonly string[] Skipped = ["node_modules", "bin", "obj", ".git", "TestResults", "artifacts"];

    public static TheoryData<string> MarkdownFiles => [.. Markdown().Select(path => Path.GetRelativePath(RepositoryPaths.Root, path))];

    [Theory]
    [MemberData(nameof(MarkdownFiles))]
    public void Every_relative_link_resolves(string file)
    {
        var path = RepositoryPaths.Combine(file);
        var broken = new List<string>();
        foreach (Match link in Link().Matches(File.ReadAllText(path)))
        {
            var target = link.Groups["target"].Value;
            if (Uri.TryCreate(target, UriKind.Absolute, out _))
            {
                continue;
            }

            var (relative, fragment) = target.Split('#', 2) is [var head, var tail] ? (head, tail) : (target, null);
            var resolved = relative.Length == 0 ? path : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, relative));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{target}: no such file");
            }
            else if (fragment is not null && resolved.EndsWith(".md", StringComparison.Ordinal) && !Anchors(resolved).Contains(fragment))
            {
                broken.Add($"{target}: no such heading");
            }
        }

        Assert.True(broken.Count == 0, $"{file}: {string.Join("; ", broken)}");
    }

    private static IEnumerable<string> Markdown()
    {
        var pending = new Stack<string>([RepositoryPaths.Root]);
        while (pending.TryPop(out var directory))
        {
            foreach (var file in Directory.EnumerateFiles(directory, "*.md"))
            {
                yield return file;
            }

            foreach (var child in Directory.EnumerateDirectories(directory).Where(d => !Skipped.Contains(Path.GetFileName(d))))
            {
                pending.Push(child);
            }
        }
    }

    /// <summary>GitHub's anchor of each heading: lower case, punctuation dropped, spaces as hyphens.</summary>
    private static HashSet<string> Anchors(string markdown) =>
        [.. File.ReadLines(markdown).Where(line => line.StartsWith('#')).Select(line =>
            Punctuation().Replace(line.TrimStart('#').Trim().ToLowerInvariant(), "").Replace(' ', '-'))];

    [GeneratedRegex(@"(?<!\!)\[[^\]]*\]\((?<target>[^)\s]+)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"[^\p{L}\p{N}\- _]")]
    private static partial Regex Punctuation();
}
