using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Delivery.Tests;

/// <summary>
/// The Bicep CLI from the Azure.Bicep.CommandLine.&lt;os&gt;-&lt;arch&gt; NuGet package built for this machine (a
/// PackageDownload of the test project), located through MSBuild properties baked into the assembly.
/// </summary>
internal static class BicepCli
{
    private static string Package => Metadata("BicepCliPackage");
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string Version => Metadata("BicepCliVersion");

    /// <summary>The path of the CLI; fails the test, saying how to fix it, when it is not there.</summary>
    public static string Executable
    {
        get
        {
            var root = Metadata("NuGetPackageRoot");
            Assert.False(string.IsNullOrWhiteSpace(root), "The test assembly carries no NuGetPackageRoot: build the test project with `dotnet build`/`dotnet test` (restore sets it).");
            var path = Path.Combine(root, Package.ToLowerInvariant(), Version, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
            Assert.True(
                File.Exists(path),
                $"The Bicep CLI is missing at {path}. It comes from the PackageDownload of {Package} {Version} in LogoutFunction.Tests.csproj: run `dotnet restore LogoutFunction.Tests`.");
            return path;
        }
    }

    public static BicepRun Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryPaths.Root,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {startInfo.FileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"bicep {string.Join(' ', arguments)} did not finish within {Timeout}.");
        }

        process.WaitForExit();
        return new BicepRun(string.Join(' ', arguments), process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult());
    }

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(attribute => attribute.Key == key)?.Value
        ?? throw new InvalidOperationException($"The test assembly has no [AssemblyMetadata(\"{key}\")]; see the \"Delivery checks\" ItemGroup of LogoutFunction.Tests.csproj.");
}

/// <summary>One run of the CLI: its exit code and everything it printed.</summary>
internal sealed record BicepRun(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>Lines that report a diagnostic, e.g. "main.bicep(3,7) : Warning no-unused-params: ...".</summary>
    public IReadOnlyList<string> Diagnostics =>
        (StandardOutput + "\n" + StandardError)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => line.Contains(" : Warning ", StringComparison.Ordinal)
                || line.Contains(" : Error ", StringComparison.Ordinal)
                || line.StartsWith("Warning", StringComparison.OrdinalIgnoreCase)
                || line.StartsWith("Error", StringComparison.OrdinalIgnoreCase))
            .ToList();

    public string Describe() =>
        $"bicep {Command} exited {ExitCode}.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}";
}
