using DevStorage;

namespace DevTokens;

/// <summary>Finds the repository the tool is run in: the nearest folder up from here holding LogoutFunction.sln.</summary>
internal static class DevRepository
{
    public static string Root() =>
        RepositoryRoot.Above(Directory.GetCurrentDirectory())
        ?? throw new DevToolException("Run this inside the LogoutFunction repository (no LogoutFunction.sln above the current folder).");
}
