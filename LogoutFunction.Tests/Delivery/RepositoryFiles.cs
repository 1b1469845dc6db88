namespace LogoutFunction.Tests.Delivery;

/// <summary>Files of the repository the delivery checks read, found from the test assembly upwards.</summary>
internal static class RepositoryFiles
{
    private const string Marker = "LogoutFunction.sln";

    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string PathOf(params string[] relative) => Path.Combine([Root, .. relative]);

    public static string Read(params string[] relative)
    {
        var path = PathOf(relative);
        Assert.True(File.Exists(path), $"Expected the file {path} in the repository.");
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, Marker)))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No {Marker} found above {AppContext.BaseDirectory}.");
    }
}
