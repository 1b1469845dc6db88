using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// Revokes refresh tokens with a single conditional point delete (docs/design.md, "Schema"): one
/// round trip, no read-then-delete race, and the owner in the RowKey means a caller can only ever
/// delete their own token. What the store answers comes back as a <see cref="RevocationOutcome"/>;
/// only what retrying cannot fix (a missing role, an answer that is not the Table service's) throws.
/// </summary>
public sealed partial class RefreshTokenStore(TableClient table, ILogger<RefreshTokenStore> logger)
{
    /// <summary>
    /// The whole budget of one revocation, the SDK's retries included: a dead store answers
    /// 503 in seconds, well inside the host's function timeout.
    /// </summary>
    public static readonly TimeSpan RevocationTimeout = TimeSpan.FromSeconds(5);

    /// <exception cref="RequestFailedException">A refusal retrying will not fix, such as a missing role assignment.</exception>
    /// <exception cref="InvalidOperationException">A 404 that is not the Table service's.</exception>
    public async Task<RevocationOutcome> RevokeAsync(RefreshTokenKey key, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(RevocationTimeout);
        var attempts = new DeleteAttempts();
        Response response;
        try
        {
            using (attempts.Track())
            {
                response = await table.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (RequestFailedException e) when (IsTransientStatus(e))
        {
            LogStoreFailure(logger, e.Status, e.ErrorCode);
            return RevocationOutcome.StoreUnavailable;
        }
        catch (AggregateException e) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away during the SDK's retries: a cancellation, not a store fault.
            throw new OperationCanceledException("The caller cancelled the revocation.", e, cancellationToken);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(IsTransientAttempt))
        {
            // The SDK's retry policy gives up with every attempt's failure, the budget's
            // cancellation included when it ran out mid-retry.
            if (timeout.IsCancellationRequested)
            {
                LogStoreTimeout(logger, RevocationTimeout.TotalSeconds);
            }
            else
            {
                var last = e.InnerExceptions.OfType<RequestFailedException>().LastOrDefault();
                LogStoreFailure(logger, last?.Status ?? 0, last?.ErrorCode);
            }

            return RevocationOutcome.StoreUnavailable;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogStoreTimeout(logger, RevocationTimeout.TotalSeconds);
            return RevocationOutcome.StoreUnavailable;
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException)
        {
            // From inside the app, an identity endpoint that does not answer looks the same as
            // an identity that is not there: answer "retry", and log the cause as an error.
            LogCredentialFailure(logger, e.GetType().Name);
            return RevocationOutcome.StoreUnavailable;
        }

        // The client reports a missing entity as a 404 response, not an exception; only the
        // Table service's own ResourceNotFound says there was nothing to revoke. Any other 404
        // (a gateway's page, a wrong path) proves nothing was deleted.
        if (response.Status != 404)
        {
            return RevocationOutcome.Revoked;
        }

        switch (ErrorCodeOf(response))
        {
            case "ResourceNotFound":
                return attempts.EarlierAttemptMayHaveDeleted ? RevocationOutcome.RevokedOrAbsent : RevocationOutcome.NothingToRevoke;
            case "TableNotFound":
                LogTableMissing(logger, table.Name);
                return RevocationOutcome.StoreUnavailable;
            case var other:
                LogUnexpectedNotFound(logger, other);
                throw new InvalidOperationException("The refresh-token store answered 404 without saying the entity is missing.");
        }
    }

    /// <summary>No answer (status 0), a timeout, throttling or a server-side failure: worth a retry later.</summary>
    private static bool IsTransientStatus(RequestFailedException e) => e.Status is 0 or 408 or 429 or >= 500;

    /// <summary>One failed attempt inside the SDK's retries: a transient answer, or a network timeout.</summary>
    private static bool IsTransientAttempt(Exception e) =>
        e is RequestFailedException failure ? IsTransientStatus(failure) : e is OperationCanceledException or IOException or HttpRequestException;

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

    [LoggerMessage(Level = LogLevel.Error, Message = "Refresh-token store answered 404 with error code {ErrorCode}, not the Table service's ResourceNotFound: is the endpoint a Table service?")]
    private static partial void LogUnexpectedNotFound(ILogger logger, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh-token store request failed: status {Status} (0 = no answer), error {ErrorCode}")]
    private static partial void LogStoreFailure(ILogger logger, int status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh-token store did not answer within {TimeoutSeconds} s")]
    private static partial void LogStoreTimeout(ILogger logger, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "No credential for the refresh-token store: {CredentialError}")]
    private static partial void LogCredentialFailure(ILogger logger, string credentialError);
}
