namespace SideBySide;

/// <summary>A published function app and the requests it is measured with; every app serves <c>POST /api/logout</c>.</summary>
/// <param name="Name">The app's name in the report and for <c>--only</c>.</param>
/// <param name="Directory">The app's publish output folder; apps that differ only in settings share one.</param>
/// <param name="Settings">App settings the worker gets.</param>
internal sealed record PublishedApp(string Name, string Directory, IReadOnlyDictionary<string, string?> Settings)
{
    /// <summary>What the throughput is measured with, the same request over and over.</summary>
    public BenchRequest LoadRequest { get; init; } = BenchRequest.EmptyObject;

    /// <summary>
    /// Makes the requests of one round's cold start and latency run, one each and made fresh
    /// for the round: a revoking logout needs a refresh token of its own.
    /// </summary>
    public Func<int, Task<IReadOnlyList<BenchRequest>>> PrepareRequests { get; init; } =
        count => Task.FromResult<IReadOnlyList<BenchRequest>>([.. Enumerable.Repeat(BenchRequest.EmptyObject, count)]);
}

/// <param name="Headers">Request headers besides Content-Type.</param>
/// <param name="Body">A JSON body, sent with Content-Type: application/json.</param>
/// <param name="Query">A query string (with its '?'), or empty.</param>
internal sealed record BenchRequest(IReadOnlyDictionary<string, string> Headers, string Body, string Query = "")
{
    public static readonly BenchRequest EmptyObject = new(new Dictionary<string, string>(), "{}");

    public HttpRequestMessage ToMessage(Uri baseAddress)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "api/logout" + Query))
        {
            Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }
}
