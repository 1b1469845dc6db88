namespace SideBySide;

/// <summary>A published function app and the requests it is measured with; every app serves <c>POST /api/logout</c>.</summary>
/// <param name="Name">The app's name in the report and for <c>--only</c>.</param>
/// <param name="Directory">The app's publish output folder; apps that differ only in settings share one.</param>
/// <param name="Settings">App settings the worker gets.</param>
internal sealed record PublishedApp(string Name, string Directory, IReadOnlyDictionary<string, string?> Settings)
{
    /// <summary>The same request over and over: the load, and the latency of that request alone.</summary>
    public BenchRequest LoadRequest { get; init; } = BenchRequest.EmptyObject;

    /// <summary>
    /// For the apps that reach the store: makes that many requests that each delete a refresh
    /// token of their own, fresh for the round (the cold start's first request, then the store
    /// path's latency run); null for the others.
    /// </summary>
    public Func<int, Task<IReadOnlyList<BenchRequest>>>? StoreRequests { get; init; }
}

/// <param name="Headers">Request headers besides Content-Type.</param>
/// <param name="Body">A JSON body, sent with Content-Type: application/json.</param>
/// <param name="Query">A query string (with its '?'), or empty.</param>
internal sealed record BenchRequest(IReadOnlyDictionary<string, string> Headers, string Body, string Query = "")
{
    private const string Path = "api/logout";

    public static readonly BenchRequest EmptyObject = new(new Dictionary<string, string>(), "{}");

    public HttpRequestMessage ToMessage(Uri baseAddress)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, Path + Query))
        {
            Content = new StringContent(Body, System.Text.Encoding.UTF8, "application/json"),
        };
        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    public WrkRequest ToWrk() =>
        new("POST", "/" + Path + Query, new Dictionary<string, string>(Headers) { ["Content-Type"] = "application/json" }, Body);
}
