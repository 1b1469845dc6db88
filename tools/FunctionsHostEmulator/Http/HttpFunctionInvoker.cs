using System.Diagnostics;
using FunctionsHostEmulator.Functions;
using FunctionsHostEmulator.Logging;
using FunctionsHostEmulator.Rpc;
using FunctionsHostEmulator.Worker;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// Runs one HTTP invocation end to end: request to InvocationRequest, wait for the worker (bounded
/// by host.json functionTimeout), InvocationResponse to HTTP response. Failures answer 500 with an
/// empty body, as the host does, and are logged the way the host logs them.
/// </summary>
internal sealed class HttpFunctionInvoker(WorkerChannel channel, TimeSpan? functionTimeout, ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, HostedFunction function, RouteValueDictionary routeValues)
    {
        var invocationId = Guid.NewGuid().ToString();
        var started = Stopwatch.GetTimestamp();
        Log.Executing(logger, function.Name, invocationId);

        using var invocationCancelled = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (functionTimeout is { } timeout)
        {
            invocationCancelled.CancelAfter(timeout);
        }

        InvocationResponse response;
        try
        {
            var request = await HttpInvocationMapper.CreateRequestAsync(context, function, routeValues, channel.Capabilities, invocationId).ConfigureAwait(false);
            var answer = await channel.RequestAsync(
                new StreamingMessage { InvocationRequest = request },
                StreamingMessage.ContentOneofCase.InvocationResponse,
                invocationId,
                invocationCancelled.Token).ConfigureAwait(false);
            response = answer.InvocationResponse;
        }
        catch (OperationCanceledException) when (invocationCancelled.IsCancellationRequested)
        {
            CancelInWorker(invocationId);
            if (context.RequestAborted.IsCancellationRequested)
            {
                var cancelledAfter = Elapsed(started);
                Log.ExecutedCancelled(logger, function.Name, invocationId, cancelledAfter);
                return;
            }

            Log.FunctionTimedOut(logger, functionTimeout, function.Name, invocationId);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        catch (IOException ex)
        {
            var failedAfter = Elapsed(started);
            Log.ExecutedWithoutWorker(logger, function.Name, invocationId, failedAfter, ex.Message);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var duration = Elapsed(started);
        if (response.Result?.Status != StatusResult.Types.Status.Success)
        {
            var exception = response.Result?.Exception;
            Log.ExecutedFailed(logger, function.Name, invocationId, duration, exception?.Message ?? response.Result?.Result, exception?.StackTrace);
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }

        var result = HttpResponseWriter.FindHttpResult(response, function);
        if (result is null)
        {
            // The function produced no HTTP response (e.g. only other output bindings).
            context.Response.StatusCode = StatusCodes.Status204NoContent;
        }
        else
        {
            await HttpResponseWriter.WriteAsync(context, result).ConfigureAwait(false);
        }

        Log.ExecutedSucceeded(logger, function.Name, invocationId, duration);
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private void CancelInWorker(string invocationId)
    {
        if (channel.Capabilities.HandlesInvocationCancelMessage)
        {
            channel.Send(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId } });
        }
    }
}
