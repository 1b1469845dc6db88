using System.Net;
using System.Reflection;
using System.Text;
using FunctionsHostEmulator;
using LogoutFunction.Tests.Support;

namespace FunctionsHostEmulator.Tests;

/// <summary>
/// The emulator's other HTTP model: a worker that announces <c>HttpUri</c> (the ASP.NET Core
/// integration) gets each request forwarded, as the host's DefaultHttpProxyService does. The
/// HTTP-model comparison (docs/design.md) is measured through this path.
/// </summary>
[Trait("Category", "EndToEnd")]
public sealed class ForwardingHostTests
{
    private static string FloorDirectory => RepositoryPaths.Combine(
        "benchmarks", "Floors", "NoOpAspNetCoreFunction", "bin", typeof(ForwardingHostTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration, "net10.0");

    [Fact]
    public async Task A_worker_that_serves_HTTP_itself_gets_each_request_forwarded_chunked_ones_too()
    {
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions { AppDirectory = FloorDirectory, HttpPort = 0, Output = _ => { } });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "api/logout") { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        chunked.Headers.TransferEncodingChunked = true;

        using var withLength = await client.PostAsync("api/logout", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var streamed = await client.SendAsync(chunked);
        using var get = await client.GetAsync("api/logout");

        Assert.Equal(HttpStatusCode.OK, withLength.StatusCode);
        Assert.Equal(HttpStatusCode.OK, streamed.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
    }
}
