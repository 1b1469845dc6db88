using System.Net;
using FunctionsHostEmulator.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Http;

/// <summary>
/// The public HTTP side on 127.0.0.1: CORS as Core Tools configures it, then the function routes,
/// else 404 with an empty body, as the host's router leaves unmatched requests to ASP.NET Core.
/// </summary>
internal static class HttpServer
{
    /// <summary>
    /// How long a request waits for the host to become ready, and what it gets then. As the host's
    /// <c>Middleware/HostAvailabilityCheckMiddleware.cs</c> with
    /// <c>ScriptHostManagerExtensions.DelayUntilHostReady</c> (30 s).
    /// </summary>
    private static readonly TimeSpan HostReadyTimeout = TimeSpan.FromSeconds(30);

    private const string HostNotRunning = "Function host is not running.";

    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(
        int port,
        LocalSettings localSettings,
        FunctionRouteTable routes,
        Task<HttpFunctionInvoker> ready,
        HttpRequestQueue queue,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestBodySizeLimit.Default;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRouting();
        builder.Services.AddHttpForwarder();

        var corsOrigins = (localSettings.Cors ?? string.Empty)
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (corsOrigins.Length > 0)
        {
            builder.Services.AddCors();
        }

        var app = builder.Build();
        if (corsOrigins.Length > 0)
        {
            // Core Tools (Startup.Configure): the listed origins, any header, any method, credentials per setting.
            app.UseCors(policy =>
            {
                policy.WithOrigins(corsOrigins).AllowAnyHeader().AllowAnyMethod();
                if (localSettings.CorsCredentials)
                {
                    policy.AllowCredentials();
                }
            });
        }

        app.Run(async context =>
        {
            if (await WhenReadyAsync(ready, context.RequestAborted).ConfigureAwait(false) is not { } invoker)
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync(HostNotRunning, context.RequestAborted).ConfigureAwait(false);
                return;
            }

            await queue.RunAsync(context, async () =>
            {
                var match = await routes.MatchAsync(context).ConfigureAwait(false);
                if (match is null)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
                }

                await invoker.InvokeAsync(context, match.Value.Function, match.Value.Values).ConfigureAwait(false);
            }).ConfigureAwait(false);
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return (app, new Uri($"http://127.0.0.1:{BoundPort(app)}/"));
    }

    private static async Task<HttpFunctionInvoker?> WhenReadyAsync(Task<HttpFunctionInvoker> ready, CancellationToken requestAborted)
    {
        if (!ready.IsCompleted)
        {
            await Task.WhenAny(ready, Task.Delay(HostReadyTimeout, requestAborted)).ConfigureAwait(false);
        }

        return ready.IsCompletedSuccessfully ? ready.Result : null;
    }

    public static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First()).Port;
    }
}
