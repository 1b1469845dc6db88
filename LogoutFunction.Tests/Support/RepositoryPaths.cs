using DevStorage;

namespace LogoutFunction.Tests.Support;

/// <summary>Finds files of this repository from wherever the test assembly runs.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    /// <summary>A file's text; a missing file fails the test that needs it, naming the path.</summary>
    public static string Read(params string[] parts)
    {
        var path = Combine(parts);
        Assert.True(File.Exists(path), $"Expected the file {path} in the repository.");
        return File.ReadAllText(path);
    }

    private static string FindRoot() =>
        RepositoryRoot.Above(AppContext.BaseDirectory) ?? throw new InvalidOperationException("LogoutFunction.sln not found above " + AppContext.BaseDirectory);
}
