using System.Text.Json;
using BenchmarkDotNet.Attributes;
using LogoutFunction.Logout;
using LogoutFunction.RefreshTokens;

namespace LogoutFunction.Benchmarks;

/// <summary>
/// Reading the body and deriving the table keys, beside their floor: parsing the same bytes
/// with System.Text.Json and nothing else.
/// </summary>
[MemoryDiagnoser]
public class RequestBodyBenchmarks
{
    private readonly string _refreshToken = "zs8wJtc_FkdiBx2xd5DaDrg8ytgxb1pOvjgnqQXaOPI";
    private readonly ReadOnlyMemory<byte> _body = """{"refresh_token":"zs8wJtc_FkdiBx2xd5DaDrg8ytgxb1pOvjgnqQXaOPI"}"""u8.ToArray();

    [Benchmark(Baseline = true, Description = "floor: JsonDocument.Parse")]
    public int ParseOnly()
    {
        using var document = JsonDocument.Parse(_body);
        return document.RootElement.GetPropertyCount();
    }

    [Benchmark(Description = "RefreshTokenBody.Parse")]
    public string? ParseBody() => RefreshTokenBody.Parse(_body).RefreshToken;

    [Benchmark(Description = "RefreshTokenKey.For (two SHA-256)")]
    public string KeyFor() => RefreshTokenKey.For(_refreshToken, "alice").PartitionKey;
}
