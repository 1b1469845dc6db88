using System.Diagnostics;
using System.Net.Sockets;
using DevStorage;

namespace Delivery.Tests;

/// <summary>
/// <c>./run.sh</c> stopped the way a developer stops it while its output goes through a pipe
/// (<c>./run.sh | tee run.log</c>, Ctrl+C: the signal reaches the script and tee alike): it still
/// stops everything it started, though nothing reads what its cleanup writes.
/// </summary>
public sealed class RunScriptTests
{
    private const int AzuritePort = 10002;

    [SkippableFact]
    public async Task Stopped_while_its_output_pipe_goes_away_it_still_stops_the_app_and_Azurite()
    {
        Skip.If(OperatingSystem.IsWindows(), "run.sh is bash; test.ps1's users start the same processes with dotnet commands");
        Skip.If(Listening(AzuritePort), $"something already listens on 127.0.0.1:{AzuritePort}, which run.sh would use rather than start");
        var port = LoopbackPort.Free();
        var log = Path.GetTempFileName();
        // A session of its own: its process group is the pipeline, which the signal below reaches
        // whole. SIGPIPE as a terminal's shell has it (.NET hands its children the signal ignored).
        var start = new ProcessStartInfo("setsid") { WorkingDirectory = RepositoryPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "env", "--default-signal=PIPE", "bash", "-c", $"./run.sh --port {port} | tee {log}" })
        {
            start.ArgumentList.Add(argument);
        }

        using var pipeline = Process.Start(start)!;
        try
        {
            await WaitUntilAsync(() => File.ReadAllText(log).Contains("More requests: logout.http", StringComparison.Ordinal), TimeSpan.FromMinutes(5));
            Assert.True(Listening(port) && Listening(AzuritePort), "run.sh did not start the app and Azurite:\n" + File.ReadAllText(log));

            Signal(pipeline.Id, "TERM");

            await WaitUntilAsync(() => !Listening(port) && !Listening(AzuritePort), TimeSpan.FromSeconds(40));
        }
        finally
        {
            // Whatever run.sh left behind (its children lead process groups of their own) is still
            // in the session this test made: stopped by that session's id.
            KillSession(pipeline.Id);
            File.Delete(log);
        }
    }

    private static void KillSession(int sessionId)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                // /proc/<pid>/stat: "pid (comm) state ppid pgrp session ...", comm may hold spaces.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture) == sessionId)
                {
                    Process.GetProcessById(pid).Kill();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Signals the process group led by <paramref name="leader"/>, by its id.</summary>
    private static void Signal(int leader, string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-" + signal, "--", "-" + leader]) { RedirectStandardError = true })!;
        kill.WaitForExit();
    }

    private static async Task WaitUntilAsync(Func<bool> condition, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {limit.TotalSeconds} s");
            await Task.Delay(250);
        }
    }
}
