using System.Net;
using FunctionsHostEmulator.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Worker;

/// <summary>The gRPC server the worker connects back to: HTTP/2 without TLS on a free 127.0.0.1 port, as the host runs it.</summary>
internal static class GrpcServer
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(WorkerChannel channel, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddLogging();
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddRouting();
        builder.Services.AddSingleton(channel);
        builder.Services.AddGrpc(grpc =>
        {
            // The host lifts gRPC's message size limits (it passes int.MaxValue to the worker as well).
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
        });

        var app = builder.Build();
        app.UseRouting();
        app.MapGrpcService<FunctionRpcService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        return (app, new Uri($"http://127.0.0.1:{HttpServer.BoundPort(app)}/"));
    }
}
