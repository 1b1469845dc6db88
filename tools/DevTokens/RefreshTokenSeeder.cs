using System.Security.Cryptography;
using Azure;
using Azure.Core;
using Azure.Data.Tables;
using LogoutFunction.RefreshTokens;
using Microsoft.IdentityModel.Tokens;

namespace DevTokens;

/// <summary>
/// Creates the refresh-token table and writes refresh tokens into it, as the login endpoint
/// would. Locally the dev tooling creates the table because the function never does.
/// </summary>
public sealed class RefreshTokenSeeder
{
    public const string DevelopmentConnection = "UseDevelopmentStorage=true";

    private readonly TableServiceClient _service;
    private readonly string _tableName;

    private RefreshTokenSeeder(TableServiceClient service, string tableName)
    {
        _service = service;
        _tableName = tableName;
    }

    /// <summary>The same default as the app's local settings: the env setting, else Azurite.</summary>
    public static string DefaultConnection() =>
        Environment.GetEnvironmentVariable(RefreshTokenStorageOptions.ConnectionName) is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : DevelopmentConnection;

    public static RefreshTokenSeeder Create(string connectionString, string tableName)
    {
        if (!RefreshTokenStorageOptions.IsValidTableName(tableName))
        {
            throw new DevToolException($"Table name '{tableName}' is invalid: 3-63 letters or digits, starting with a letter.");
        }

        // Few, short retries: a stopped Azurite should be reported in seconds, not after a minute.
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.Mode = RetryMode.Fixed;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        try
        {
            return new RefreshTokenSeeder(new TableServiceClient(connectionString, options), tableName);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
        {
            // Never echo the connection string: it may hold an account key.
            throw new DevToolException("The storage connection is not a valid connection string (--connection or RefreshTokenStorage).", ex);
        }
    }

    /// <summary>The table's client, for tools that read it.</summary>
    public TableClient Table => _service.GetTableClient(_tableName);

    /// <summary>Creates the table if it is missing; returns true when it was created now.</summary>
    public async Task<bool> CreateTableAsync(CancellationToken cancellationToken)
    {
        var response = await Run(() => _service.CreateTableIfNotExistsAsync(_tableName, cancellationToken)).ConfigureAwait(false);
        // CreateTableIfNotExists answers 204 (Azure) or 201 when it created the table, and a
        // raw 409 response, with no value, when the table already existed.
        return response.GetRawResponse().Status is 201 or 204;
    }

    /// <summary>Creates the table if needed, stores a new refresh token for the user and returns it.</summary>
    public async Task<string> SeedAsync(string userId, TimeSpan lifetime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await CreateTableAsync(cancellationToken).ConfigureAwait(false);
        var refreshToken = NewRefreshToken();
        var entity = RefreshTokenEntity.Create(refreshToken, userId, now, now.Add(lifetime));
        await Run(() => Table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken)).ConfigureAwait(false);
        return refreshToken;
    }

    /// <summary>32 random bytes, base64url: opaque, URL- and JSON-safe, like a real refresh token.</summary>
    public static string NewRefreshToken() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));

    private async Task<T> Run<T>(Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status != 0)
        {
            throw new DevToolException($"Table storage at {Endpoint()} refused the request: {ex.Status} {(string.IsNullOrEmpty(ex.ErrorCode) ? "(no error code)" : ex.ErrorCode)}.", ex);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException or TaskCanceledException)
        {
            throw new DevToolException($"Cannot reach table storage at {Endpoint()}; is Azurite running (npx azurite-table)?", ex);
        }
    }

    // Scheme, host and port only: enough to tell which store was meant, never a key or SAS.
    private string Endpoint() => _service.Uri.GetLeftPart(UriPartial.Authority);
}
