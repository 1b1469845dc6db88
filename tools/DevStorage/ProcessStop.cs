using System.Diagnostics;

namespace DevStorage;

/// <summary>Stops a process this code started, by its id, with every process it started, waiting at most a bound.</summary>
public static class ProcessStop
{
    public static async ValueTask KillTreeAsync(Process process, TimeSpan bound)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var bounded = new CancellationTokenSource(bound);
            await process.WaitForExitAsync(bounded.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Gone already, or it would not go: nothing more a caller could do.
        }
        finally
        {
            process.Dispose();
        }
    }
}
