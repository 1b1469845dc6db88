using System.Text.Json;
using LogoutFunction.RefreshTokens;

namespace SideBySide;

/// <summary>The apps measured (what bench.sh publishes, the verify-and-log floor twice more under other settings), each with its settings and requests.</summary>
internal static class BenchApps
{
    /// <summary>LogoutFunction itself, published with <c>dotnet publish -c Release</c>.</summary>
    public const string Logout = "logout";

    /// <summary>The do-nothing HTTP function, built-in HTTP model: the floor of throughput and memory.</summary>
    public const string NoOp = "noop";

    /// <summary>The same do-nothing function in the ASP.NET Core integration, for the HTTP-model comparison.</summary>
    public const string NoOpAspNetCore = "noop-aspnetcore";

    /// <summary>A function that only sends the same Table delete with a bare HttpClient: the floor of revoking latency and cold start.</summary>
    public const string TableDelete = "table-delete";

    /// <summary>A lower bound of a validate-only logout: only its signature check, its one log entry and its answer.</summary>
    public const string VerifyAndLog = "verify-and-log";

    /// <summary><see cref="VerifyAndLog"/> that also sends the Table delete: a lower bound of a revoking logout.</summary>
    public const string VerifyLogDelete = "verify-log-delete";

    /// <summary><see cref="VerifyAndLog"/> with its signature check only, no log entry.</summary>
    public const string VerifyOnly = "verify-only";

    /// <summary><see cref="VerifyAndLog"/> with its log entry only, no signature check.</summary>
    public const string LogOnly = "log-only";

    // The load of the floors that delete: an entity that is not there, answered 404 (and so 200).
    private const string NoSuchEntity = "?pk=none&rk=none";

    public static IReadOnlyList<PublishedApp> From(string directory, BenchStore store, BenchTokens tokens)
    {
        var bearer = new Dictionary<string, string> { ["Authorization"] = "Bearer " + tokens.AccessToken };
        var validateOnly = new BenchRequest(bearer, "{}");
        return
        [
            new(Logout, Path.Combine(directory, Logout), new Dictionary<string, string?>
            {
                ["Jwt__PublicKeys"] = tokens.PublicKeyPem,
                ["RefreshTokenStorage"] = store.SasConnectionString,
                ["RefreshTokenTable"] = BenchStore.TableName,
            })
            {
                // Validate only: a valid token and no refresh token, so no store call.
                LoadRequest = validateOnly,
                StoreRequests = async count =>
                    [.. (await store.SeedAsync(BenchTokens.User, count).ConfigureAwait(false)).Select(token => new BenchRequest(bearer, JsonSerializer.Serialize(new { refresh_token = token })))],
            },
            new(NoOp, Path.Combine(directory, NoOp), new Dictionary<string, string?>()),
            VerifyAndLogPart(VerifyAndLog, "signature,log"),
            VerifyAndLogPart(VerifyOnly, "signature"),
            VerifyAndLogPart(LogOnly, "log"),
            VerifyAndLogPart(VerifyLogDelete, "signature,log,delete") with
            {
                LoadRequest = validateOnly with { Query = NoSuchEntity },
                StoreRequests = count => DeletesBy(bearer, count),
            },
            new(NoOpAspNetCore, Path.Combine(directory, NoOpAspNetCore), new Dictionary<string, string?>()),
            new(TableDelete, Path.Combine(directory, TableDelete), new Dictionary<string, string?> { ["TableSasUri"] = store.TableSasUri.ToString() })
            {
                LoadRequest = BenchRequest.EmptyObject with { Query = NoSuchEntity },
                StoreRequests = count => DeletesBy(new Dictionary<string, string>(), count),
            },
        ];

        PublishedApp VerifyAndLogPart(string name, string parts) =>
            new(name, Path.Combine(directory, VerifyAndLog), new Dictionary<string, string?>
            {
                ["Jwt__PublicKeys"] = tokens.PublicKeyPem,
                ["VerifyAndLog__Parts"] = parts,
                ["TableSasUri"] = store.TableSasUri.ToString(),
            })
            {
                LoadRequest = validateOnly,
            };

        // The floors that delete are told the entity's keys, as the logout computes them from the token.
        async Task<IReadOnlyList<BenchRequest>> DeletesBy(IReadOnlyDictionary<string, string> headers, int count) =>
            [.. (await store.SeedAsync(BenchTokens.User, count).ConfigureAwait(false)).Select(token => RefreshTokenKey.For(token, BenchTokens.User))
                .Select(key => new BenchRequest(headers, "{}", $"?pk={key.PartitionKey}&rk={key.RowKey}"))];
    }

}
