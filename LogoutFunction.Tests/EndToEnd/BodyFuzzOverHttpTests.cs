using Xunit.Abstractions;

namespace LogoutFunction.Tests.EndToEnd;

/// <summary>
/// The body fuzzer's first bodies over real HTTP, through the host and the worker: the same
/// answers as in process, so nothing on the way (Kestrel, the host's body handling, gRPC)
/// changes what the function decides.
/// </summary>
[Collection(LogoutAppCollectionDefinition.Name)]
[Trait("Category", "EndToEnd")]
public sealed class BodyFuzzOverHttpTests(LogoutApp app, ITestOutputHelper output)
{
    private const int Bodies = 500;

    [Fact]
    public async Task Every_generated_body_gets_the_same_answer_over_HTTP()
    {
        var seed = BodyFuzzer.SeedFromEnvironment;
        output.WriteLine($"Body fuzzer seed: {seed} ({Bodies} bodies over HTTP)");
        var authorization = "Bearer " + TestTokens.Create(app.SigningKey, user: "fuzz");
        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();

        await Parallel.ForEachAsync(new BodyFuzzer(seed).Generate(Bodies), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (fuzz, cancellation) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/logout") { Content = new ByteArrayContent(fuzz.Body) };
            if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }

            request.Headers.TryAddWithoutValidation("Authorization", authorization);
            using var response = await app.Client.SendAsync(request, cancellation);
            var body = await response.Content.ReadAsStringAsync(cancellation);
            if (response.StatusCode != fuzz.Expected.Status || body != fuzz.Expected.Body)
            {
                failures.Enqueue($"{fuzz}: expected {(int)fuzz.Expected.Status} {fuzz.Expected.Body}, got {(int)response.StatusCode} {body}");
            }
        });

        Assert.True(failures.IsEmpty, $"Seed {seed}: {failures.Count} of {Bodies} bodies got another answer over HTTP:\n" + string.Join('\n', failures.Take(20)));
    }
}
