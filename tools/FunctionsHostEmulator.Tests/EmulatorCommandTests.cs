using System.Diagnostics;
using LogoutFunction.Tests.EndToEnd;

namespace FunctionsHostEmulator.Tests;

/// <summary>The emulator run as a command, as run.sh and the benchmarks run it: a worker that fails to start fails the command.</summary>
[Trait("Category", "EndToEnd")]
public sealed class EmulatorCommandTests
{
    [Fact]
    public async Task The_emulator_command_prints_the_start_up_error_and_exits_non_zero()
    {
        var emulator = Path.Combine(Path.GetDirectoryName(typeof(FunctionsHost).Assembly.Location)!, "FunctionsHostEmulator.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { emulator, "--app", LogoutApp.AppDirectory, "--port", "0" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("Jwt__PublicKeys");
        start.Environment["RefreshTokenStorage"] = "UseDevelopmentStorage=true";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Jwt__PublicKeys is not set", await stdout + await stderr, StringComparison.Ordinal);
    }
}
