using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using DevStorage;
using LogoutFunction.Logout;

namespace Delivery.Tests;

/// <summary>
/// tools/smoke-test.sh, which the pipeline runs to wait for `func start` and to check the deployed
/// app, run for real (bash and curl) against a loopback server of the test's own on 127.0.0.1 that
/// answers what each test scripts and records what it was asked. Every run is bounded and the
/// script is stopped by its own process id if it overruns.
/// </summary>
public sealed class SmokeTestScriptTests
{
    private static readonly string ContractBody = Encoding.UTF8.GetString(LogoutOutcome.TokenMissing.Row().Body);
    private const string InvalidToken = "Bearer error=\"invalid_token\", error_description=\"The token is malformed\"";
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(60);

    private static Answer ContractAnswer(RecordedRequest request) =>
        request.Authorization is null ? new(401, ContractBody, "Bearer") : new(401, ContractBody, InvalidToken);

    [SkippableFact]
    public async Task Passes_on_the_contract_401_after_an_empty_POST_to_api_logout_without_credentials()
    {
        await using var server = new ScriptedServer((_, request) => ContractAnswer(request));

        var run = await RunAsync(server.BaseUrl, "--attempts", "3", "--interval", "0.1");

        Assert.True(run.ExitCode == 0, run.Output);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/logout", request.Path);
        Assert.Null(request.Authorization);
        Assert.Equal(0, request.ContentLength);
        Assert.Equal("application/json", request.ContentType);
    }

    [SkippableFact]
    public async Task With_invalid_token_also_sends_a_malformed_bearer_token_and_expects_invalid_token()
    {
        await using var server = new ScriptedServer((_, request) => ContractAnswer(request));

        var run = await RunAsync(server.BaseUrl + "/", "--attempts", "3", "--interval", "0.1", "--invalid-token");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Collection(
            server.Requests,
            first => Assert.Null(first.Authorization),
            second => Assert.Equal("Bearer not-a-jwt", second.Authorization));
        Assert.All(server.Requests, request => Assert.Equal(("POST", "/api/logout"), (request.Method, request.Path)));
    }

    public static TheoryData<int, string, string?> WrongAnswers => new()
    {
        { 200, "{\"message\":\"Successfully logged out\"}", null },
        { 401, "{\"code\":401,\"message\":\"Unauthorized\"}", "Bearer" },
        { 401, ContractBody + "\n", "Bearer" },
        { 401, "", "Bearer" },
        { 401, ContractBody, null },
        { 401, ContractBody, "Basic realm=\"app\"" },
        { 401, ContractBody, InvalidToken },
        { 404, "", null },
        { 503, "Function host is not running.", null },
    };

    [SkippableTheory]
    [MemberData(nameof(WrongAnswers))]
    public async Task Fails_on_any_other_answer_after_its_bounded_tries(int status, string body, string? wwwAuthenticate)
    {
        await using var server = new ScriptedServer((_, _) => new(status, body, wwwAuthenticate));

        var run = await RunAsync(server.BaseUrl, "--attempts", "2", "--interval", "0.1");

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Equal(2, server.Requests.Count);
        Assert.Contains($"HTTP {status}", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Fails_when_a_malformed_token_is_not_refused_as_invalid_token()
    {
        // The tokenless answer is right; the malformed token gets the tokenless header.
        await using var server = new ScriptedServer((_, _) => new(401, ContractBody, "Bearer"));

        var run = await RunAsync(server.BaseUrl, "--attempts", "2", "--interval", "0.1", "--invalid-token");

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("malformed token", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Waits_while_the_host_is_starting_and_passes_once_the_app_answers()
    {
        // What the Functions host answers before the worker is ready, then the app's own answer.
        await using var server = new ScriptedServer((index, request) =>
            index < 3 ? new(503, "Function host is not running.", null) : ContractAnswer(request));

        var run = await RunAsync(server.BaseUrl, "--attempts", "10", "--interval", "0.1");

        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Equal(4, server.Requests.Count);
        Assert.Contains("try 4/10", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Gives_up_within_its_bound_when_nothing_listens()
    {
        var closed = $"http://127.0.0.1:{LoopbackPort.Free()}";
        var clock = Stopwatch.StartNew();

        var run = await RunAsync(closed, "--attempts", "3", "--interval", "0.2", "--max-time", "2");

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Took {clock.Elapsed}.");
        Assert.Contains("try 3/3", run.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Gives_up_at_once_when_the_awaited_process_has_exited()
    {
        await using var server = new ScriptedServer((_, _) => new(503, "Function host is not running.", null));
        using var exited = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await exited.WaitForExitAsync();
        var clock = Stopwatch.StartNew();

        var run = await RunAsync(server.BaseUrl, "--attempts", "100", "--interval", "1", "--pid", exited.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"Took {clock.Elapsed}.");
        Assert.Empty(server.Requests);
        Assert.Contains($"process {exited.Id} exited", run.Output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("ftp://127.0.0.1:1")]
    [InlineData("http://user:secret@127.0.0.1:1")]
    [InlineData("http://127.0.0.1:1/api/logout")]
    public async Task Refuses_a_base_url_that_is_not_http_or_https_host_and_port(string baseUrl)
    {
        var run = await RunAsync(baseUrl);

        Assert.True(run.ExitCode == 2, run.Output);
        Assert.DoesNotContain("secret", run.Output, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData("--attempts", "0")]
    [InlineData("--attempts", "many")]
    [InlineData("--interval", "-1")]
    [InlineData("--max-time", "0")]
    [InlineData("--pid", "self")]
    public async Task Refuses_unbounded_or_malformed_options(string option, string value)
    {
        var run = await RunAsync("http://127.0.0.1:1", option, value);

        Assert.True(run.ExitCode == 2, run.Output);
    }

    private sealed record RunResult(int ExitCode, string Output);

    private static async Task<RunResult> RunAsync(params string[] args)
    {
        // The pipeline's script runs on its Linux agents; on Windows, `bash` may be WSL's, which sees neither these paths nor this loopback.
        Skip.If(OperatingSystem.IsWindows(), "tools/smoke-test.sh is a bash script for the pipeline's Linux agents");
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.Combine("tools", "smoke-test.sh"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // Under Azure Pipelines the script writes ##vso error lines; these expected failures must not.
        start.Environment.Remove("TF_BUILD");

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(RunLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"tools/smoke-test.sh ran longer than {RunLimit}: {await stdout}{await stderr}");
        }

        return new RunResult(process.ExitCode, await stdout + await stderr);
    }

    private sealed record Answer(int Status, string Body, string? WwwAuthenticate);

    private sealed record RecordedRequest(string Method, string Path, string? Authorization, long ContentLength, string? ContentType);

    /// <summary>Answers the n-th request (from 0) with what the test scripts; 127.0.0.1 only.</summary>
    private sealed class ScriptedServer : IAsyncDisposable
    {
        private readonly ConcurrentQueue<RecordedRequest> _requests = new();
        private readonly Func<int, RecordedRequest, Answer> _answer;
        private readonly LoopbackHttpServer _server;
        private int _index;

        public ScriptedServer(Func<int, RecordedRequest, Answer> answer)
        {
            _answer = answer;
            _server = new LoopbackHttpServer(Serve);
            BaseUrl = $"http://127.0.0.1:{_server.Port}";
        }

        public string BaseUrl { get; }

        public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

        public ValueTask DisposeAsync() => _server.DisposeAsync();

        private void Serve(HttpListenerContext context)
        {
            var request = new RecordedRequest(
                context.Request.HttpMethod,
                context.Request.Url?.AbsolutePath ?? "",
                context.Request.Headers["Authorization"],
                context.Request.ContentLength64,
                context.Request.ContentType);
            _requests.Enqueue(request);

            var answer = _answer(_index++, request);
            var body = Encoding.UTF8.GetBytes(answer.Body);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            if (answer.WwwAuthenticate is not null)
            {
                context.Response.AddHeader("WWW-Authenticate", answer.WwwAuthenticate);
            }

            context.Response.ContentLength64 = body.Length;
            context.Response.OutputStream.Write(body);
            context.Response.Close();
        }
    }
}
