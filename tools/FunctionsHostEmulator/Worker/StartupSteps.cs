using FunctionsHostEmulator.Rpc;

namespace FunctionsHostEmulator.Worker;

/// <summary>
/// Awaits each start-up step against the two ways start-up ends early: the worker process exiting
/// (typically an exception in its Program.cs, such as failed options validation) and the start-up
/// timeout. Either becomes a <see cref="WorkerStartupException"/> carrying the worker's own error output.
/// </summary>
internal sealed class StartupSteps(WorkerProcess worker, TimeSpan timeout, CancellationToken token, CancellationToken callerToken)
{
    public CancellationToken Token => token;

    public static void ThrowIfFailed(StatusResult? result, string what)
    {
        if (result is not null && result.Status == StatusResult.Types.Status.Success)
        {
            return;
        }

        var detail = result?.Exception is { } exception
            ? exception.Message + Environment.NewLine + exception.StackTrace
            : result?.Result;
        throw new WorkerStartupException(what + ": " + detail);
    }

    public async Task Await(Task step, string what) => await Await(Wrap(step), what).ConfigureAwait(false);

    public async Task<T> Await<T>(Task<T> step, string what)
    {
        var finished = await Task.WhenAny(step, worker.Exited, Task.Delay(Timeout.InfiniteTimeSpan, token)).ConfigureAwait(false);
        if (finished == step && (step.IsCompletedSuccessfully || (step.IsFaulted && step.Exception?.InnerException is not IOException)))
        {
            return await step.ConfigureAwait(false);
        }

        // The stream closing usually means the process is on its way out: give it a moment, so that
        // we report its exit and its complete error output rather than a bare "stream closed".
        if (!worker.Exited.IsCompleted && !token.IsCancellationRequested)
        {
            await Task.WhenAny(worker.Exited, Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None)).ConfigureAwait(false);
        }

        if (worker.Exited.IsCompleted)
        {
            var exitCode = await worker.Exited.ConfigureAwait(false);
            throw new WorkerStartupException(
                $"The worker process exited with code {exitCode} before it could {what}.{Environment.NewLine}{worker.RecentErrorOutput}".TrimEnd())
            {
                ExitCode = exitCode,
            };
        }

        if (!token.IsCancellationRequested)
        {
            throw new WorkerStartupException(
                $"The worker closed its connection before it could {what}.{Environment.NewLine}{worker.RecentErrorOutput}".TrimEnd());
        }

        // The caller giving up is not the worker's fault.
        callerToken.ThrowIfCancellationRequested();
        throw new WorkerStartupException(
            $"The worker did not {what} within {timeout.TotalSeconds:0.#} s.{Environment.NewLine}{worker.RecentErrorOutput}".TrimEnd());
    }

    private static async Task<bool> Wrap(Task step)
    {
        await step.ConfigureAwait(false);
        return true;
    }
}
