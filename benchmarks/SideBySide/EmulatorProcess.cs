using System.Diagnostics;
using System.Globalization;
using DevStorage;

namespace SideBySide;

/// <summary>
/// The host emulator's command line serving one app, in a process of its own, as the Functions
/// host is in Azure: the load and the timing then measure the host's work on its own runtime
/// settings (its project's, Server GC as the Web SDK sets it) and never share this process.
/// App settings go in as environment variables, which the emulator takes over its settings file
/// and the worker inherits. Linux only: the worker is found among the emulator's children in /proc.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;

    private EmulatorProcess(Process process, Uri baseAddress, int workerProcessId)
    {
        _process = process;
        BaseAddress = baseAddress;
        WorkerProcessId = workerProcessId;
    }

    public Uri BaseAddress { get; }

    public int WorkerProcessId { get; }

    public TimeSpan HostCpu
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<EmulatorProcess> StartAsync(PublishedApp app)
    {
        var port = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "FunctionsHostEmulator.dll"), "--app", app.Directory, "--port", port.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in app.Settings)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The host emulator did not start.");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // Drained for as long as it runs (the host prints each invocation's log entry), read only until it has started.
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.StartsWith("Host started at ", StringComparison.Ordinal) == true)
            {
                started.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { } text && errors.Count < 50)
            {
                errors.Enqueue(text);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var finished = await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(StartTimeout)).ConfigureAwait(false);
            if (finished != started.Task)
            {
                throw new InvalidOperationException($"{app.Name}: the host emulator did not start within {StartTimeout.TotalSeconds:0} s.\n{string.Join('\n', errors)}");
            }

            return new EmulatorProcess(process, new Uri($"http://127.0.0.1:{port}/"), WorkerOf(process.Id));
        }
        catch
        {
            await StopAsync(process).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The emulator's one child process: the worker it launched.</summary>
    private static int WorkerOf(int emulatorProcessId)
    {
        var children = Directory.GetDirectories($"/proc/{emulatorProcessId}/task")
            .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(child => int.Parse(child, CultureInfo.InvariantCulture))
            .Distinct()
            .ToList();
        return children is [var worker] ? worker : throw new InvalidOperationException($"Expected the host emulator to have one child process, the worker; found {children.Count}.");
    }

    public ValueTask DisposeAsync() => StopAsync(_process);

    /// <summary>Stops the emulator and the worker it launched, by process id.</summary>
    private static ValueTask StopAsync(Process process) => ProcessStop.KillTreeAsync(process, TimeSpan.FromSeconds(15));
}
