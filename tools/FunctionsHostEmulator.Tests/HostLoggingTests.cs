using System.Collections.Concurrent;
using System.Net.Http.Headers;
using LogoutFunction.Tests.EndToEnd;
using LogoutFunction.Tests.Support;

namespace FunctionsHostEmulator.Tests;

/// <summary>
/// host.json's logging.logLevel filters what the host prints, as the host applies it: per category,
/// the longest matching prefix winning; the host's own "Executing"/"Executed" lines are
/// Function.&lt;name&gt;, what the function logs during an invocation Function.&lt;name&gt;.User.
/// </summary>
[Collection(EmulatedApp.Name)]
[Trait("Category", "EndToEnd")]
public sealed class HostLoggingTests(LogoutApp app)
{
    [SkippableTheory]
    [InlineData("Warning", "Information", false, true)]
    [InlineData("Information", "Information", true, true)]
    [InlineData("Information", "Warning", true, false)]
    public async Task Prints_each_category_at_the_level_host_json_gives_it(string function, string user, bool executingLines, bool userLines)
    {
        Skip.IfNot(LogoutApp.IsEmulated, "reads the emulated host's output");
        var levels = $$"""{"default":"Information","Function.Logout":"{{function}}","Function.Logout.User":"{{user}}"}""";
        using var copy = AppCopy.WithHostJson(LogoutApp.AppDirectory, """{"version":"2.0","logging":{"logLevel":""" + levels + "}}");
        var output = new ConcurrentQueue<string>();
        await using var host = await FunctionsHost.StartAsync(new FunctionsHostOptions { AppDirectory = copy.Directory, HttpPort = 0, Settings = app.Settings, Output = output.Enqueue });
        using var client = new HttpClient { BaseAddress = host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(app.SigningKey, user: "kim"));

        using var response = await client.SendAsync(request);
        await host.DisposeAsync();

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(executingLines, output.Any(line => line.Contains("Executing 'Functions.Logout'", StringComparison.Ordinal)));
        Assert.Equal(executingLines, output.Any(line => line.Contains("Executed 'Functions.Logout' (Succeeded", StringComparison.Ordinal)));
        Assert.Equal(userLines, output.Any(line => line.Contains("Logout NoRefreshToken for user kim", StringComparison.Ordinal)));
    }
}
