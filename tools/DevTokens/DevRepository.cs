namespace DevTokens;

/// <summary>Finds the repository the tool is run in: the nearest folder up from here holding LogoutFunction.sln.</summary>
internal static class DevRepository
{
    public static string Root()
    {
        for (var folder = new DirectoryInfo(Directory.GetCurrentDirectory()); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "LogoutFunction.sln")))
            {
                return folder.FullName;
            }
        }

        throw new DevToolException("Run this inside the LogoutFunction repository (no LogoutFunction.sln above the current folder).");
    }
}
