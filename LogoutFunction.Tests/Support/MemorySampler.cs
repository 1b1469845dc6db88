using System.Globalization;

namespace LogoutFunction.Tests.Support;

/// <summary>Samples a process's resident memory (Linux /proc, VmRSS) at a fixed interval until stopped; elsewhere it samples nothing.</summary>
public sealed class MemorySampler : IDisposable
{
    private readonly List<double> _megabytes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;

    public MemorySampler(int processId, TimeSpan interval)
    {
        var status = $"/proc/{processId}/status";
        _sampling = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(interval);
            while (File.Exists(status) && await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                if (ResidentMegabytes(status) is { } megabytes)
                {
                    lock (_megabytes)
                    {
                        _megabytes.Add(megabytes);
                    }
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
        _stop.Cancel();
        _stop.Dispose();
    }

    private static double? ResidentMegabytes(string status)
    {
        try
        {
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
