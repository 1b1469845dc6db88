using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// Forwards a request to a worker that serves HTTP itself (the ASP.NET Core integration), as the
/// host's <c>src/WebJobs.Script.Grpc/Server/DefaultHttpProxyService.cs</c> does: YARP's forwarder,
/// the invocation id in <c>x-ms-invocation-id</c>, a 240 s activity timeout, and connection
/// failures retried as its <c>RetryProxyHandler.cs</c> does (10 attempts, 50 ms doubling to 250 ms).
/// </summary>
internal sealed class WorkerHttpForwarder : IDisposable
{
    public const string InvocationIdHeader = "x-ms-invocation-id";

    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = TimeSpan.FromSeconds(240) };

    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _invoker;

    public WorkerHttpForwarder(IHttpForwarder forwarder, ILogger logger)
    {
        _forwarder = forwarder;
        var sockets = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, UseProxy = false, AutomaticDecompression = DecompressionMethods.None };
        _invoker = new HttpMessageInvoker(new RetryingHandler(sockets, logger));
    }

    /// <summary>Starts forwarding before the invocation request is sent, as the host does; completes when the worker's response is copied back.</summary>
    public Task<ForwarderError> StartAsync(HttpContext context, Uri workerUri, string invocationId)
    {
        context.Request.Headers.TryAdd(InvocationIdHeader, invocationId);
        return _forwarder.SendAsync(context, workerUri.ToString(), _invoker, RequestConfig).AsTask();
    }

    public void Dispose() => _invoker.Dispose();

    private sealed class RetryingHandler(HttpMessageHandler inner, ILogger logger) : DelegatingHandler(inner)
    {
        private const int Attempts = 10;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var delay = TimeSpan.FromMilliseconds(50);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                }
                catch (HttpRequestException) when (attempt < Attempts)
                {
                    Logging.Log.ForwardingRetry(logger, delay.TotalMilliseconds, attempt, Attempts);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
                }
            }
        }
    }
}
