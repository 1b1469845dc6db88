using System.Runtime.InteropServices;
using FunctionsHostEmulator;
using FunctionsHostEmulator.Logging;

// The CLI: start the host, print the functions as Core Tools does, run until Ctrl+C / SIGTERM or
// until the worker exits, then stop cleanly. Exit code 0 only for a requested stop.
var commandLine = CommandLine.Parse(args, out var error);
if (commandLine is null)
{
    await Console.Error.WriteLineAsync(error.Length > 0 ? error + Environment.NewLine + CommandLine.Usage : CommandLine.Usage).ConfigureAwait(false);
    return error.Length > 0 ? 2 : 0;
}

var stopRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
using var startupCancelled = new CancellationTokenSource();
void RequestStop(PosixSignalContext context)
{
    context.Cancel = true;
    stopRequested.TrySetResult();
    startupCancelled.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, RequestStop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, RequestStop);

FunctionsHost host;
try
{
    host = await FunctionsHost.StartAsync(
        new FunctionsHostOptions
        {
            AppDirectory = commandLine.AppDirectory,
            LocalSettingsPath = commandLine.SettingsPath,
            HttpPort = commandLine.Port,
            StartupTimeout = commandLine.StartupTimeout,
        },
        startupCancelled.Token).ConfigureAwait(false);
}
catch (WorkerStartupException ex)
{
    await Console.Error.WriteLineAsync("The worker failed to start: " + ex.Message).ConfigureAwait(false);
    return 1;
}
catch (OperationCanceledException) when (startupCancelled.IsCancellationRequested)
{
    return 130;
}
catch (Exception ex) when (ex is IOException or InvalidDataException)
{
    await Console.Error.WriteLineAsync(ex.Message).ConfigureAwait(false);
    return 1;
}

await using (host.ConfigureAwait(false))
{
    ConsoleOutput.WriteLine(string.Empty);
    ConsoleOutput.WriteLine("Functions:");
    ConsoleOutput.WriteLine(string.Empty);
    foreach (var function in host.Functions)
    {
        ConsoleOutput.WriteLine(function.Url is null
            ? $"        {function.Name}: {function.TriggerType}"
            : $"        {function.Name}: [{(function.Methods.Count == 0 ? "GET,POST,PUT,DELETE,HEAD,PATCH,OPTIONS" : string.Join(',', function.Methods))}] {function.Url}");
    }

    ConsoleOutput.WriteLine(string.Empty);
    ConsoleOutput.WriteLine($"Host started at {host.BaseAddress} (Ctrl+C to stop)");

    var finished = await Task.WhenAny(stopRequested.Task, host.Stopped).ConfigureAwait(false);
    if (finished == host.Stopped)
    {
        await Console.Error.WriteLineAsync($"The worker process exited unexpectedly with code {await host.Stopped.ConfigureAwait(false)}.").ConfigureAwait(false);
        return 1;
    }
}

return 0;
