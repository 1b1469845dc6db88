using System.Text.Json;
using Azure;
using Azure.Data.Tables;
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
    /// <exception cref="RequestFailedException">A refusal retrying will not fix, such as a missing role assignment.</exception>
    /// <exception cref="InvalidOperationException">A 404 that is not the Table service's.</exception>
    public async Task<RevocationOutcome> RevokeAsync(RefreshTokenKey key, CancellationToken cancellationToken)
    {
        var attempts = new DeleteAttempts();
        var response = await TableCall.RunAsync<Response?>(
            async timeout =>
            {
                using (attempts.Track())
                {
                    return await table.DeleteEntityAsync(key.PartitionKey, key.RowKey, ETag.All, timeout).ConfigureAwait(false);
                }
            },
            unavailable: null,
            logger,
            cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
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
}
