using Xunit.Abstractions;

namespace LogoutFunction.Tests.Http;

/// <summary>
/// Generated bodies through the endpoint with a valid token: never a 5xx, and each answer the
/// one the contract gives for that input. The seed is printed; <c>LOGOUT_FUZZ_SEED</c> replays one.
/// </summary>
[Collection(AzuriteCollectionDefinition.Name)]
public sealed class BodyFuzzTests(AzuriteServer azurite, ITestOutputHelper output)
{
    public const int Bodies = 2_500;

    [Fact]
    public async Task Every_generated_body_gets_the_answer_the_contract_gives_it()
    {
        var key = TestKey.Rsa();
        var table = await azurite.CreateTableAsync();
        using var services = new AppHost(AppHost.Settings(key.PublicPem, azurite.ConnectionString, table.Name));
        var seed = BodyFuzzer.SeedFromEnvironment;
        output.WriteLine($"Body fuzzer seed: {seed} ({Bodies} bodies; replay with LOGOUT_FUZZ_SEED={seed})");
        var authorization = "Bearer " + TestTokens.Create(key, user: "fuzz");

        var failures = new List<string>();
        var byClass = new Dictionary<string, int>();
        foreach (var fuzz in new BodyFuzzer(seed).Generate(Bodies))
        {
            var headers = new List<(string, string)> { ("Authorization", authorization), ("Content-Length", fuzz.Body.Length.ToString(CultureInfo.InvariantCulture)) };
            if (fuzz.ContentType is not null)
            {
                headers.Add(("Content-Type", fuzz.ContentType));
            }

            var answer = await EndpointCall.SendAsync(services, fuzz.Body, [.. headers]);
            byClass[fuzz.Class] = byClass.GetValueOrDefault(fuzz.Class) + 1;
            if ((int)answer.Status >= 500 || answer.Status != fuzz.Expected.Status || answer.Body != fuzz.Expected.Body)
            {
                failures.Add($"{fuzz}: expected {(int)fuzz.Expected.Status} {fuzz.Expected.Body}, got {(int)answer.Status} {answer.Body}; body starts {Preview(fuzz.Body)}");
            }
        }

        output.WriteLine(string.Join('\n', byClass.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"  {c.Value,5}  {c.Key}")));
        Assert.True(failures.Count == 0, $"Seed {seed}: {failures.Count} of {Bodies} bodies got another answer:\n" + string.Join('\n', failures.Take(20)));
        LogHygiene.AssertClean(services.Logs.Entries.Select(e => e.Message + " " + e.Exception), authorization);
    }

    private static string Preview(byte[] body) => Convert.ToHexString(body.AsSpan(0, Math.Min(body.Length, 24))) + " " + Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 60))).ReplaceLineEndings(" ");
}
