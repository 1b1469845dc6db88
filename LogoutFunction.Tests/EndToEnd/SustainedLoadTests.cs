using Xunit.Abstractions;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// Logouts at concurrency 64 through the worker, each with a refresh token seeded for it, from
/// 64 users, half of them presenting someone else's token: every answer 200, every own token
/// gone, every foreign token still there, and the worker's memory flat from the first quarter
/// of the run to the last (after a warm-up). <c>LOGOUT_LOAD_LOGOUTS</c> sets how many (default below).
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SustainedLoadTests(LogoutApp app, ITestOutputHelper output)
{
    private const int DefaultLogouts = 20_000;
    private const int WarmUpLogouts = 2_000;
    private const int Concurrency = 64;
    private const int Users = 64;
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(10);

    private static int Logouts =>
        int.TryParse(Environment.GetEnvironmentVariable("LOGOUT_LOAD_LOGOUTS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultLogouts;

    private sealed record PlannedLogout(string Caller, string Owner, string RefreshToken)
    {
        public bool IsOwn => Caller == Owner;

        public RefreshTokenKey Key => RefreshTokenKey.For(RefreshToken, Owner);
    }

    [Fact]
    public async Task Logouts_at_concurrency_64_revoke_exactly_the_callers_own_tokens_and_memory_stays_flat()
    {
        using var limit = new CancellationTokenSource(Limit);
        var users = Enumerable.Range(0, Users).Select(i => $"load-user-{i:00}").ToArray();
        var bearer = users.ToDictionary(u => u, u => "Bearer " + TestTokens.Create(app.SigningKey, user: u));
        var plan = Enumerable.Range(0, Logouts).Select(i =>
        {
            var caller = users[i % Users];
            var owner = i % 2 == 0 ? caller : users[(i + 1) % Users];
            return new PlannedLogout(caller, owner, $"load-{i}-{Guid.NewGuid():N}");
        }).ToList();

        var warmUp = plan.Take(WarmUpLogouts).Select(p => p with { RefreshToken = "warm-up-" + p.RefreshToken }).ToList();
        var seeding = Stopwatch.StartNew();
        await SeedAsync(warmUp.Concat(plan), limit.Token);
        output.WriteLine($"Seeded {warmUp.Count + plan.Count:N0} refresh tokens in {seeding.Elapsed.TotalSeconds:0.0} s");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency };
        using var client = new HttpClient(handler) { BaseAddress = app.Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        var failures = new ConcurrentQueue<string>();

        // Memory is judged from here on: JIT, tiering and pools settle during the warm-up.
        await LogoutAllAsync(client, warmUp, bearer, failures, limit.Token);
        using var memory = app.WorkerProcessId is { } pid ? new MemorySampler(pid, TimeSpan.FromMilliseconds(250)) : null;
        var load = Stopwatch.StartNew();
        await LogoutAllAsync(client, plan, bearer, failures, limit.Token);
        load.Stop();
        var samples = memory?.Stop() ?? [];
        output.WriteLine($"{plan.Count:N0} logouts at concurrency {Concurrency} in {load.Elapsed.TotalSeconds:0.0} s ({plan.Count / load.Elapsed.TotalSeconds:N0}/s), {failures.Count} not 200");

        Assert.True(failures.IsEmpty, $"{failures.Count} logouts were not 200, for example: {string.Join("; ", failures.Take(5))}; the store said: {string.Join("; ", app.OutputLines.Where(l => l.Contains("Refresh-token store", StringComparison.Ordinal)).Take(10))}");
        await AssertOnlyForeignTokensRemainAsync(plan, limit.Token);
        AssertMemoryFlat(samples);
        LogHygiene.AssertClean(app.OutputLines, plan.Take(500).Select(p => p.RefreshToken).Concat(bearer.Values));
    }

    private Task SeedAsync(IEnumerable<PlannedLogout> logouts, CancellationToken cancellation) =>
        Parallel.ForEachAsync(logouts, new ParallelOptions { MaxDegreeOfParallelism = 32, CancellationToken = cancellation }, async (logout, token) =>
            await app.Table.AddEntityAsync(RefreshTokenEntity.Create(logout.RefreshToken, logout.Owner, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1)), token));

    private static Task LogoutAllAsync(HttpClient client, IEnumerable<PlannedLogout> logouts, Dictionary<string, string> bearer, ConcurrentQueue<string> failures, CancellationToken cancellation) =>
        Parallel.ForEachAsync(logouts, new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellation }, async (logout, token) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout")
            {
                Content = new StringContent($$"""{"refresh_token":"{{logout.RefreshToken}}"}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.TryAddWithoutValidation("Authorization", bearer[logout.Caller]);
            using var response = await client.SendAsync(request, token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Enqueue($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(token)}");
            }
        });

    private async Task AssertOnlyForeignTokensRemainAsync(List<PlannedLogout> plan, CancellationToken cancellation)
    {
        var remaining = new HashSet<(string, string)>();
        await foreach (var entity in app.Table.QueryAsync<TableEntity>(select: ["PartitionKey", "RowKey"], cancellationToken: cancellation))
        {
            remaining.Add((entity.PartitionKey, entity.RowKey));
        }

        var ownStillThere = plan.Count(p => p.IsOwn && remaining.Contains((p.Key.PartitionKey, p.Key.RowKey)));
        var foreignGone = plan.Count(p => !p.IsOwn && !remaining.Contains((p.Key.PartitionKey, p.Key.RowKey)));
        output.WriteLine($"Own tokens still there: {ownStillThere}; foreign tokens gone: {foreignGone}");
        Assert.Equal(0, ownStillThere);
        Assert.Equal(0, foreignGone);
    }

    /// <summary>The median resident memory of the last quarter of the run against the first: within 15 % (a leak grows with the requests).</summary>
    private void AssertMemoryFlat(IReadOnlyList<double> samples)
    {
        if (samples.Count < 8)
        {
            output.WriteLine($"Only {samples.Count} memory samples (no worker process id, or a very short run): not judged.");
            return;
        }

        var quarter = samples.Count / 4;
        var first = Median(samples.Take(quarter));
        var last = Median(samples.Skip(samples.Count - quarter));
        output.WriteLine($"Worker resident memory: first quarter {first:0.0} MB, last quarter {last:0.0} MB (median of {quarter} samples each), peak {samples.Max():0.0} MB");
        Assert.True(last <= first * 1.15, $"Worker memory grew from {first:0.0} MB to {last:0.0} MB over the run.");
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
