namespace SideBySide;

/// <summary>Which request of an app: the load request (validate-only for the logout) or one that reaches the store.</summary>
internal enum RequestKind
{
    Load,
    Store,
}

/// <summary>
/// Requests timed one at a time on one kept-alive connection by wrk: one request sent over and
/// over, or a list (warm-up first) whose every request is sent once.
/// </summary>
internal sealed record LatencySeries(string App, RequestKind Kind, Uri BaseAddress, IReadOnlyList<WrkRequest> Requests, int ExpectedStatus = 200)
{
    /// <summary>The store alone: the same pre-signed delete, sent by wrk straight to Azurite.</summary>
    public const string StoreAlone = "store alone";

    /// <summary>Sends <paramref name="count"/> requests from the <paramref name="from"/>th; returns their p50 in milliseconds.</summary>
    public async Task<double> TimeAsync(int from, int count)
    {
        var requests = Requests.Count == 1 ? Requests : [.. Requests.Skip(from).Take(count)];
        if (requests.Count != 1 && requests.Count < count)
        {
            throw new InvalidOperationException($"{App}: {count} requests asked for from {from}, {Requests.Count} prepared.");
        }

        return (await Wrk.LatencyAsync(BaseAddress, requests, count, ExpectedStatus).ConfigureAwait(false)).MedianMilliseconds;
    }
}
