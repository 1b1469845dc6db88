using FunctionsHostEmulator.Configuration;
using FunctionsHostEmulator.Functions;
using FunctionsHostEmulator.Http;
using FunctionsHostEmulator.Logging;
using FunctionsHostEmulator.Rpc;
using FunctionsHostEmulator.Worker;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Forwarder;

namespace FunctionsHostEmulator;

/// <summary>
/// A running emulated Functions host: the worker process, the gRPC server it talks to, and the
/// HTTP server on 127.0.0.1 that turns requests into invocations. Dispose to stop all three.
/// </summary>
public sealed class FunctionsHost : IAsyncDisposable
{
    /// <summary>What the host reports as its version to the worker.</summary>
    private const string HostVersion = "4.1000.0";

    private static readonly TimeSpan WorkerTerminateGrace = TimeSpan.FromSeconds(5);

    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly WorkerChannel _channel;
    private readonly WebApplication _grpcServer;
    private readonly WebApplication _httpServer;
    private readonly WorkerProcess _worker;
    private readonly WorkerHttpForwarder _forwarder;
    private readonly HttpRequestQueue _queue;
    private int _disposed;

    private FunctionsHost(
        ILoggerFactory loggerFactory,
        WorkerChannel channel,
        WebApplication grpcServer,
        WebApplication httpServer,
        WorkerProcess worker,
        WorkerHttpForwarder forwarder,
        HttpRequestQueue queue,
        Uri baseAddress,
        IReadOnlyList<FunctionEndpoint> functions)
    {
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Host");
        _channel = channel;
        _grpcServer = grpcServer;
        _httpServer = httpServer;
        _worker = worker;
        _forwarder = forwarder;
        _queue = queue;
        BaseAddress = baseAddress;
        Functions = functions;
    }

    /// <summary>Where the functions are served, e.g. http://127.0.0.1:7071/.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The functions the worker reported, in its order.</summary>
    public IReadOnlyList<FunctionEndpoint> Functions { get; }

    /// <summary>The worker process's id, for tools that watch its memory or CPU.</summary>
    public int WorkerProcessId => _worker.Id;

    /// <summary>Completes with the worker's exit code once the worker process has ended, on its own or after <see cref="DisposeAsync"/>.</summary>
    public Task<int> Stopped => _worker.Exited;

    /// <summary>
    /// Launches the worker and returns once every function is loaded and HTTP is served.
    /// Throws <see cref="WorkerStartupException"/> when the worker exits, fails or times out before that.
    /// </summary>
    public static async Task<FunctionsHost> StartAsync(FunctionsHostOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var appDirectory = Path.GetFullPath(options.AppDirectory);
        var workerConfig = WorkerConfig.Load(appDirectory);
        var hostJson = HostJson.Load(appDirectory);
        var localSettings = LocalSettings.Load(options.LocalSettingsPath is null ? null : Path.GetFullPath(options.LocalSettingsPath));
        var port = options.HttpPort ?? localSettings.LocalHttpPort ?? 7071;

        var loggerFactory = HostLogging.CreateFactory(hostJson, options.Output ?? ConsoleOutput.WriteLine);
        var logger = loggerFactory.CreateLogger("Host");

        var channel = new WorkerChannel(Guid.NewGuid().ToString(), workerConfig.Language, loggerFactory);
        var routes = new FunctionRouteTable();
        var ready = new TaskCompletionSource<HttpFunctionInvoker>(TaskCreationOptions.RunContinuationsAsynchronously);
        var queue = new HttpRequestQueue(hostJson.MaxConcurrentRequests, hostJson.MaxOutstandingRequests);

        WebApplication? grpcServer = null;
        WebApplication? httpServer = null;
        WorkerProcess? worker = null;
        WorkerHttpForwarder? forwarder = null;
        try
        {
            (grpcServer, var grpcAddress) = await GrpcServer.StartAsync(channel, loggerFactory, cancellationToken).ConfigureAwait(false);
            (httpServer, var baseAddress) = await HttpServer.StartAsync(port, localSettings, routes, ready.Task, queue, loggerFactory, cancellationToken).ConfigureAwait(false);

            var environment = WorkerEnvironment.Build(localSettings, options.Settings, appDirectory, baseAddress);
            worker = WorkerProcess.Start(workerConfig, appDirectory, grpcAddress, channel.WorkerId, environment, loggerFactory.CreateLogger(HostLogging.ConsoleCategory));

            using var startup = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            startup.CancelAfter(options.StartupTimeout);
            var steps = new StartupSteps(worker, options.StartupTimeout, startup.Token, cancellationToken);

            await steps.Await(channel.Connected, "connect to the host").ConfigureAwait(false);
            await InitializeAsync(channel, steps, appDirectory, workerConfig).ConfigureAwait(false);
            var functions = await IndexAsync(channel, steps, appDirectory).ConfigureAwait(false);
            await LoadAsync(channel, steps, functions, appDirectory, logger).ConfigureAwait(false);

            routes.Publish(functions, hostJson.RoutePrefix, httpServer.Services.GetRequiredService<IInlineConstraintResolver>());
            forwarder = new WorkerHttpForwarder(httpServer.Services.GetRequiredService<IHttpForwarder>(), loggerFactory.CreateLogger("Host.Proxy"));
            ready.SetResult(new HttpFunctionInvoker(
                channel, forwarder, hostJson.FunctionTimeout, RequestBodySizeLimit.FromSettings(environment), loggerFactory));

            var endpoints = functions.Select(f => ToEndpoint(f, baseAddress, hostJson.RoutePrefix)).ToList();
            return new FunctionsHost(loggerFactory, channel, grpcServer, httpServer, worker, forwarder, queue, baseAddress, endpoints);
        }
        catch
        {
            ready.TrySetCanceled(CancellationToken.None);
            forwarder?.Dispose();
            queue.Dispose();
            channel.Close();
            worker?.Dispose();
            if (httpServer is not null)
            {
                await httpServer.DisposeAsync().ConfigureAwait(false);
            }

            if (grpcServer is not null)
            {
                await grpcServer.DisposeAsync().ConfigureAwait(false);
            }

            loggerFactory.Dispose();
            throw;
        }
    }

    /// <summary>Stops serving HTTP, asks the worker to terminate, kills it if it does not, and stops the gRPC server.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _httpServer.StopAsync(bounded.Token).ConfigureAwait(false);

        if (!_worker.Exited.IsCompleted)
        {
            Log.StoppingWorker(_logger, _worker.Id);
            if (_channel.Capabilities.HandlesWorkerTerminateMessage)
            {
                _channel.SendTerminate(WorkerTerminateGrace);
            }

            // Ending the stream is what makes the worker stop when it does not handle WorkerTerminate.
            _channel.Close();
            await _worker.StopAsync(WorkerTerminateGrace + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }

        _channel.Close();
        await _grpcServer.StopAsync(bounded.Token).ConfigureAwait(false);
        await _httpServer.DisposeAsync().ConfigureAwait(false);
        await _grpcServer.DisposeAsync().ConfigureAwait(false);
        _worker.Dispose();
        _forwarder.Dispose();
        _queue.Dispose();
        _loggerFactory.Dispose();
    }

    private static async Task InitializeAsync(WorkerChannel channel, StartupSteps steps, string appDirectory, WorkerConfig workerConfig)
    {
        var init = new WorkerInitRequest
        {
            HostVersion = HostVersion,
            WorkerDirectory = Path.GetDirectoryName(workerConfig.WorkerPath) ?? appDirectory,
            FunctionAppDirectory = appDirectory,
        };
        var answer = await steps.Await(
            channel.RequestAsync(new StreamingMessage { WorkerInitRequest = init }, StreamingMessage.ContentOneofCase.WorkerInitResponse, string.Empty, steps.Token),
            "initialize").ConfigureAwait(false);

        var response = answer.WorkerInitResponse;
        StartupSteps.ThrowIfFailed(response.Result, "Initializing the worker failed");
        channel.Capabilities = new WorkerCapabilities(new Dictionary<string, string>(response.Capabilities));
    }

    private static async Task<List<HostedFunction>> IndexAsync(WorkerChannel channel, StartupSteps steps, string appDirectory)
    {
        var request = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory };
        var answer = await steps.Await(
            channel.RequestAsync(new StreamingMessage { FunctionsMetadataRequest = request }, StreamingMessage.ContentOneofCase.FunctionMetadataResponse, string.Empty, steps.Token),
            "report its functions").ConfigureAwait(false);

        var response = answer.FunctionMetadataResponse;
        StartupSteps.ThrowIfFailed(response.Result, "The worker failed to index its functions");
        if (response.UseDefaultMetadataIndexing)
        {
            // Host-side indexing (reading function.json files) is what the host does for such workers; not emulated.
            throw new WorkerStartupException("The worker asked for host indexing (use_default_metadata_indexing); the emulator only supports worker-indexed apps.");
        }

        return [.. response.FunctionMetadataResults.Select(HostedFunction.FromWorkerMetadata)];
    }

    private static async Task LoadAsync(WorkerChannel channel, StartupSteps steps, List<HostedFunction> functions, string appDirectory, ILogger logger)
    {
        var loads = functions.Select(f => channel.RequestAsync(
            new StreamingMessage { FunctionLoadRequest = f.ToLoadRequest(appDirectory) },
            StreamingMessage.ContentOneofCase.FunctionLoadResponse,
            f.FunctionId,
            steps.Token)).ToList();

        foreach (var (function, load) in functions.Zip(loads))
        {
            var answer = await steps.Await(load, "load function " + function.Name).ConfigureAwait(false);
            var result = answer.FunctionLoadResponse.Result;
            if (result?.Status != StatusResult.Types.Status.Success)
            {
                // Like the host: log it and keep going; invoking the function then fails.
                Log.FunctionLoadFailed(
                    logger,
                    function.Name,
                    function.FunctionId,
                    result?.Exception?.Message ?? result?.Result);
            }
        }
    }

    private static FunctionEndpoint ToEndpoint(HostedFunction function, Uri baseAddress, string routePrefix) =>
        new(
            function.Name,
            function.Trigger?.Type ?? "unknown",
            function.Methods,
            function.IsHttpTriggered ? new Uri(baseAddress, FunctionRouteTable.BuildTemplate(routePrefix, function.Route!)) : null);
}
