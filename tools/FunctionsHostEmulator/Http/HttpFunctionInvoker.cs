using System.Collections.Concurrent;
using System.Diagnostics;
using FunctionsHostEmulator.Functions;
using FunctionsHostEmulator.Logging;
using FunctionsHostEmulator.Rpc;
using FunctionsHostEmulator.Worker;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// Runs one HTTP invocation end to end: request to InvocationRequest, wait for the worker (bounded
/// by host.json functionTimeout), InvocationResponse to HTTP response, or, for a worker that serves
/// HTTP itself, the request forwarded to it. Every failure answers 500 with an empty body, as the
/// host's <c>Middleware/ExceptionMiddleware.cs</c> does for a failed invocation, a function timeout
/// and a body that cannot be bound (one over the size limit among them); once a forwarded response
/// has started, the connection is aborted instead. Each is logged the way the host logs it.
/// </summary>
/// <param name="bodySizeLimit">The request size limit the app settings ask for; null keeps Kestrel's (the host's default).</param>
internal sealed class HttpFunctionInvoker(WorkerChannel channel, WorkerHttpForwarder forwarder, TimeSpan? functionTimeout, long? bodySizeLimit, ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, ILogger> _loggers = new();

    public async Task InvokeAsync(HttpContext context, HostedFunction function, RouteValueDictionary routeValues)
    {
        var invocationId = Guid.NewGuid().ToString();
        var started = Stopwatch.GetTimestamp();
        var logger = _loggers.GetOrAdd(function.Name, name => loggerFactory.CreateLogger(HostLogging.FunctionCategory(name)));
        using var userLogs = channel.TrackInvocation(invocationId, function.Name);
        Log.Executing(logger, function.Name, invocationId);
        if (bodySizeLimit is { } limit && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        using var invocationCancelled = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        if (functionTimeout is { } timeout)
        {
            invocationCancelled.CancelAfter(timeout);
        }

        InvocationResponse response;
        Task<ForwarderError>? forwarding = null;
        try
        {
            var request = await HttpInvocationMapper.CreateRequestAsync(context, function, routeValues, channel.Capabilities, invocationId).ConfigureAwait(false);
            if (channel.Capabilities.HttpUri is { } workerUri)
            {
                forwarding = forwarder.StartAsync(context, workerUri, invocationId);
            }

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
            Fail(context);
            return;
        }
        catch (BadHttpRequestException ex)
        {
            // The host reads the body while binding the trigger; Kestrel's refusal fails the invocation.
            var failedAfter = Elapsed(started);
            var reason = $"Exception binding parameter '{function.Trigger!.Name}'. {ex.Message}";
            Log.ExecutedFailed(logger, function.Name, invocationId, failedAfter, reason, null);
            Fail(context);
            return;
        }
        catch (IOException ex)
        {
            var failedAfter = Elapsed(started);
            Log.ExecutedWithoutWorker(logger, function.Name, invocationId, failedAfter, ex.Message);
            Fail(context);
            return;
        }

        // The host checks the forwarding before it looks at the invocation's result.
        if (forwarding is not null && await forwarding.ConfigureAwait(false) is var forwardingError and not ForwarderError.None)
        {
            var failedAfter = Elapsed(started);
            Log.ForwardingFailed(logger, function.Name, invocationId, failedAfter, forwardingError.ToString());
            Fail(context);
            return;
        }

        var duration = Elapsed(started);
        if (response.Result?.Status != StatusResult.Types.Status.Success)
        {
            var exception = response.Result?.Exception;
            Log.ExecutedFailed(logger, function.Name, invocationId, duration, exception?.Message ?? response.Result?.Result, exception?.StackTrace);
            Fail(context);
            return;
        }

        if (forwarding is null)
        {
            await WriteResultAsync(context, response, function).ConfigureAwait(false);
        }

        Log.ExecutedSucceeded(logger, function.Name, invocationId, duration);
    }

    private static async Task WriteResultAsync(HttpContext context, InvocationResponse response, HostedFunction function)
    {
        var result = HttpResponseWriter.FindHttpResult(response, function);
        if (result is null)
        {
            // The function produced no HTTP response (e.g. only other output bindings).
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await HttpResponseWriter.WriteAsync(context, result).ConfigureAwait(false);
    }

    /// <summary>500 with an empty body while nothing was sent yet; a broken connection otherwise.</summary>
    private static void Fail(HttpContext context)
    {
        if (context.Response.HasStarted)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
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
