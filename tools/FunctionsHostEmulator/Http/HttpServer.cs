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

/// <summary>The public HTTP side on 127.0.0.1: CORS as Core Tools configures it, then the function routes, else 404.</summary>
internal static class HttpServer
{
    /// <summary>The host's default request body limit (100 MB), which Core Tools applies to Kestrel too.</summary>
    private const long MaxRequestBodySize = 104_857_600;

    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(
        int port,
        LocalSettings localSettings,
        FunctionRouteTable routes,
        Func<HttpFunctionInvoker?> invoker,
        ILoggerFactory loggerFactory,
        CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodySize;
            kestrel.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRouting();

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
            var match = await routes.MatchAsync(context).ConfigureAwait(false);
            var current = invoker();
            if (match is null || current is null)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            await current.InvokeAsync(context, match.Value.Function, match.Value.Values).ConfigureAwait(false);
        });

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return (app, new Uri($"http://127.0.0.1:{BoundPort(app)}/"));
    }

    public static int BoundPort(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First()).Port;
    }
}
