namespace SideBySide;

/// <summary>The apps bench.sh publishes, each with the settings and requests it is measured with.</summary>
internal static class BenchApps
{
    /// <summary>The do-nothing HTTP function, built-in HTTP model: the floor of every figure that is not about the store.</summary>
    public const string NoOp = "noop";

    /// <summary>The same do-nothing function in the ASP.NET Core integration.</summary>
    public const string NoOpAspNetCore = "noop-aspnetcore";

    public static IReadOnlyList<PublishedApp> From(string directory) =>
    [
        new(NoOp, Path.Combine(directory, NoOp), new Dictionary<string, string?>()),
        new(NoOpAspNetCore, Path.Combine(directory, NoOpAspNetCore), new Dictionary<string, string?>()),
    ];
}
