using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsHostEmulator.Configuration;
using FunctionsHostEmulator.Logging;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Worker;

/// <summary>The worker OS process: launched with the host's command line, its stdout/stderr forwarded.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private const int RecentErrorLines = 60;

    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<string> _recentErrors = new();

    private WorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
        _process.OutputDataReceived += (_, e) => OnLine(e.Data, isError: false);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data, isError: true);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        Id = _process.Id;

        // WaitForExitAsync also waits for the redirected streams to reach EOF, so by the time this
        // completes every line the worker wrote has been seen.
        Exited = WaitForExitAsync();
    }

    public int Id { get; }

    /// <summary>Completes with the exit code when the process has ended.</summary>
    public Task<int> Exited { get; }

    /// <summary>The last lines the worker wrote to stderr (where .NET writes an unhandled exception).</summary>
    public string RecentErrorOutput => string.Join(Environment.NewLine, _recentErrors);

    public static WorkerProcess Start(
        WorkerConfig config,
        string appDirectory,
        Uri grpcUri,
        string workerId,
        IReadOnlyDictionary<string, string?> environment,
        ILogger logger)
    {
        var startInfo = new ProcessStartInfo
        {
            FileName = ResolveExecutable(config.ExecutablePath),
            WorkingDirectory = appDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
        };

        foreach (var argument in config.ExecutableArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        startInfo.ArgumentList.Add(config.WorkerPath);
        foreach (var argument in config.WorkerArguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The arguments the Functions host passes to a dotnet-isolated worker (Worker 2.x reads these).
        AddArgument(startInfo, "--functions-uri", grpcUri.ToString());
        AddArgument(startInfo, "--functions-worker-id", workerId);
        AddArgument(startInfo, "--functions-request-id", Guid.NewGuid().ToString());
        AddArgument(startInfo, "--functions-grpc-max-message-length", int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));

        foreach (var (key, value) in environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(key);
            }
            else
            {
                startInfo.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var commandLine = string.Join(' ', startInfo.ArgumentList);
        Log.StartingWorker(logger, startInfo.FileName, commandLine);

        return new WorkerProcess(process, logger);
    }

    /// <summary>Waits up to <paramref name="grace"/> for the worker to exit by itself, then kills it.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (await WaitAsync(grace).ConfigureAwait(false))
        {
            return;
        }

        Kill();
        await WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static void AddArgument(ProcessStartInfo startInfo, string name, string value)
    {
        startInfo.ArgumentList.Add(name);
        startInfo.ArgumentList.Add(value);
    }

    /// <summary>
    /// "dotnet" means the .NET host; prefer the one running us (DOTNET_HOST_PATH is set by the SDK
    /// for dotnet run/test) so the worker uses the same installation.
    /// </summary>
    private static string ResolveExecutable(string executable)
    {
        if (!string.Equals(Path.GetFileNameWithoutExtension(executable), "dotnet", StringComparison.OrdinalIgnoreCase)
            || Path.IsPathRooted(executable))
        {
            return executable;
        }

        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var current = Environment.ProcessPath;
        return current is not null && string.Equals(Path.GetFileNameWithoutExtension(current), "dotnet", StringComparison.OrdinalIgnoreCase)
            ? current
            : executable;
    }

    private async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return _process.ExitCode;
    }

    private async Task<bool> WaitAsync(TimeSpan timeout)
    {
        try
        {
            await Exited.WaitAsync(timeout).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        if (isError)
        {
            _recentErrors.Enqueue(line);
            while (_recentErrors.Count > RecentErrorLines && _recentErrors.TryDequeue(out _))
            {
            }

            Log.WorkerStderr(_logger, line);
        }
        else
        {
            Log.WorkerStdout(_logger, line);
        }
    }
}
