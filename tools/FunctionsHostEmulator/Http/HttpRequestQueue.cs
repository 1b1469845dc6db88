using Microsoft.AspNetCore.Http;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// The host's HTTP throttle, as <c>src/WebJobs.Script.WebHost/HttpRequestQueue.cs</c> and
/// <c>Middleware/HttpThrottleMiddleware.cs</c> build it from host.json's
/// <c>extensions.http.maxConcurrentRequests</c> and <c>maxOutstandingRequests</c>: at most that
/// many requests run at once, at most that many are held in all (running or waiting), and one
/// more is refused with 429, an empty body and <c>X-FUNCTION-SCALEOUT: 1</c>. Unbounded
/// (-1, the default outside Windows Consumption) means no queue at all.
/// </summary>
internal sealed class HttpRequestQueue(int maxConcurrentRequests, int maxOutstandingRequests) : IDisposable
{
    public const int Unbounded = -1;

    private readonly SemaphoreSlim? _running = maxConcurrentRequests > 0 ? new SemaphoreSlim(maxConcurrentRequests) : null;
    private int _outstanding;

    public bool Enabled => maxConcurrentRequests != Unbounded || maxOutstandingRequests != Unbounded;

    /// <summary>Runs <paramref name="next"/> when a slot is free; answers 429 when the queue is full.</summary>
    public async Task RunAsync(HttpContext context, Func<Task> next)
    {
        if (!Enabled)
        {
            await next().ConfigureAwait(false);
            return;
        }

        if (Interlocked.Increment(ref _outstanding) > maxOutstandingRequests && maxOutstandingRequests != Unbounded)
        {
            Interlocked.Decrement(ref _outstanding);
            context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            context.Response.Headers["X-FUNCTION-SCALEOUT"] = "1";
            return;
        }

        try
        {
            if (_running is not null)
            {
                await _running.WaitAsync(context.RequestAborted).ConfigureAwait(false);
            }

            try
            {
                await next().ConfigureAwait(false);
            }
            finally
            {
                _running?.Release();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _outstanding);
        }
    }

    public void Dispose() => _running?.Dispose();
}
