namespace LogoutFunction.Tests.Support;

/// <summary>Samples a process's resident memory (its working set: VmRSS on Linux) at a fixed interval until it is stopped or the process exits.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly List<double> _megabytes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public MemorySampler(int processId, TimeSpan interval)
    {
        _sampling = Task.Run(async () =>
        {
            using var process = ProcessOrNull(processId);
            if (process is null)
            {
                return;
            }

            using var timer = new PeriodicTimer(interval);
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (ResidentMegabytes(process) is not { } megabytes)
                {
                    return;
                }

                lock (_megabytes)
                {
                    _megabytes.Add(megabytes);
                }
            }
        });
    }

    /// <summary>Stops sampling; the samples in the order taken, in MB.</summary>
    public IReadOnlyList<double> Stop()
    {
        _stop.Cancel();
        try
        {
            _sampling.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
        }

        lock (_megabytes)
        {
            return [.. _megabytes];
        }
    }

    public void Dispose()
    {
        Stop();
        _stop.Dispose();
    }

    private static double? ResidentMegabytes(Process process)
    {
        try
        {
            process.Refresh();
            return process.HasExited ? null : process.WorkingSet64 / (1024.0 * 1024.0);
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static Process? ProcessOrNull(int processId)
    {
        try
        {
            return Process.GetProcessById(processId);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
