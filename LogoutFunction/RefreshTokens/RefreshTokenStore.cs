using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// Revokes refresh tokens with a single conditional point delete (DESIGN section 4): one
/// round trip, no read-then-delete race, and the owner in the RowKey means a caller can
/// only ever delete their own token.
/// </summary>
public sealed partial class RefreshTokenStore(TableClient table, ILogger<RefreshTokenStore> logger)
{
    /// <summary>
    /// The whole budget of one revocation, the SDK's retries included: a dead store answers
    /// 503 in seconds, well inside the host's function timeout.
    /// </summary>
    public static readonly TimeSpan RevocationTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="RefreshTokenStoreUnavailableException">The store could not be reached in time, refused, or the table is missing.</exception>
    public async Task<RevocationOutcome> RevokeAsync(RefreshTokenKey key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RevocationTimeout);
        Response response;
        try
        {
            response = await table.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, timeout.Token).ConfigureAwait(false);
        }
        catch (RequestFailedException e)
        {
            LogStoreFailure(logger, e.Status, e.ErrorCode);
            throw new RefreshTokenStoreUnavailableException("The refresh-token store refused the request.", e);
        }
        catch (AggregateException e)
        {
            // The SDK's retry policy gives up with every attempt's failure: connection refused,
            // network timeouts.
            var last = e.InnerExceptions.OfType<RequestFailedException>().LastOrDefault();
            LogStoreFailure(logger, last?.Status ?? 0, last?.ErrorCode);
            throw new RefreshTokenStoreUnavailableException("The refresh-token store could not be reached.", e);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
        {
            throw new RefreshTokenStoreUnavailableException("The refresh-token store did not answer in time.", e);
        }
        catch (Exception e) when (e is Azure.Identity.AuthenticationFailedException or Azure.Identity.CredentialUnavailableException)
        {
            LogCredentialFailure(logger, e.GetType().Name);
            throw new RefreshTokenStoreUnavailableException("No credential for the refresh-token store.", e);
        }

        // The client reports a missing entity as a 404 response, not an exception.
        if (response.Status != 404)
        {
            return RevocationOutcome.Revoked;
        }

        if (ErrorCodeOf(response) == "TableNotFound")
        {
            LogTableMissing(logger, table.Name);
            throw new RefreshTokenStoreUnavailableException("The refresh-token table does not exist.");
        }

        return RevocationOutcome.NothingToRevoke;
    }

    private static string? ErrorCodeOf(Response response)
    {
        if (response.Headers.TryGetValue("x-ms-error-code", out var code))
        {
            return code;
        }

        try
        {
            using var body = JsonDocument.Parse(response.Content.ToMemory());
            return body.RootElement.TryGetProperty("odata.error", out var error) && error.TryGetProperty("code", out var value)
                ? value.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refresh-token table {Table} does not exist: logouts fail until it is created")]
    private static partial void LogTableMissing(ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh-token store request failed: status {Status} (0 = no answer), error {ErrorCode}")]
    private static partial void LogStoreFailure(ILogger logger, int status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "No credential for the refresh-token store: {CredentialError}")]
    private static partial void LogCredentialFailure(ILogger logger, string credentialError);
}
