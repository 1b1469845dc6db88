namespace DevStorage;

/// <summary>The repository's root folder (the one holding LogoutFunction.sln), where its tools find Azurite and the app.</summary>
public static class RepositoryRoot
{
    /// <summary>The nearest folder from <paramref name="folder"/> up that holds LogoutFunction.sln, or null outside the repository.</summary>
    public static string? Above(string folder)
    {
        for (var current = new DirectoryInfo(folder); current is not null; current = current.Parent)
        {
            if (File.Exists(Path.Combine(current.FullName, "LogoutFunction.sln")))
            {
                return current.FullName;
            }
        }

        return null;
    }
}
