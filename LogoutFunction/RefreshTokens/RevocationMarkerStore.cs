using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// Each user's revocation marker (docs/design.md, "Log out everywhere"): one entity per user in a
/// table of its own, whose <c>ValidSince</c> the issuer compares with a refresh token's
/// <c>CreatedAt</c> before redeeming it. A global logout moves it to now, and it never moves
/// back, whatever the clocks of the instances that wrote it: each write is conditional on the
/// entity's ETag, and a marker already later than now is left as it is.
/// </summary>
public sealed partial class RevocationMarkerStore(TableClient table, TimeProvider time, ILogger<RevocationMarkerStore> logger)
{
    /// <summary>Writers that keep beating this one to the entity: past this many rounds, "retry later".</summary>
    private const int MaxRounds = 5;

    /// <exception cref="RequestFailedException">A refusal retrying will not fix, such as a missing role assignment.</exception>
    public Task<MarkerOutcome> MoveToNowAsync(string userId, CancellationToken cancellationToken) =>
        TableCall.RunAsync(timeout => MoveAsync(RevocationMarker.PartitionKeyOf(userId), timeout), MarkerOutcome.StoreUnavailable, logger, cancellationToken);

    private async Task<MarkerOutcome> MoveAsync(string partitionKey, CancellationToken cancellationToken)
    {
        for (var round = 0; round < MaxRounds; round++)
        {
            var now = Ceiling(time.GetUtcNow());
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, RevocationMarker.RowKey, [RevocationMarker.ValidSinceProperty], cancellationToken).ConfigureAwait(false);
            try
            {
                if (!current.HasValue || current.Value is not { } marker)
                {
                    await table.AddEntityAsync(Marker(partitionKey, now), cancellationToken).ConfigureAwait(false);
                    return MarkerOutcome.Moved;
                }

                if (RevocationMarker.ValidSinceOf(marker) is { } validSince && validSince >= now)
                {
                    return MarkerOutcome.AlreadyLater;
                }

                await table.UpdateEntityAsync(Marker(partitionKey, now), marker.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return MarkerOutcome.Moved;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412 || e is { Status: 404, ErrorCode: "ResourceNotFound" })
            {
                // Another writer added, moved or removed the marker since it was read: read it again.
            }
            catch (RequestFailedException e) when (e.ErrorCode == "TableNotFound")
            {
                LogTableMissing(logger, table.Name);
                return MarkerOutcome.StoreUnavailable;
            }
        }

        LogContention(logger, MaxRounds);
        return MarkerOutcome.StoreUnavailable;
    }

    private static TableEntity Marker(string partitionKey, DateTimeOffset validSince) =>
        new(partitionKey, RevocationMarker.RowKey) { [RevocationMarker.ValidSinceProperty] = validSince };

    /// <summary>
    /// Up to the next whole millisecond: an issuer whose clock keeps only milliseconds
    /// (JavaScript's <c>Date</c>, for one) then never dates a token created before the logout after it.
    /// </summary>
    private static DateTimeOffset Ceiling(DateTimeOffset now)
    {
        var remainder = now.Ticks % TimeSpan.TicksPerMillisecond;
        return remainder == 0 ? now : now.AddTicks(TimeSpan.TicksPerMillisecond - remainder);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Revocation-marker table {Table} does not exist: global logouts fail until it is created")]
    private static partial void LogTableMissing(ILogger logger, string table);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Revocation marker still contended after {Rounds} rounds of read and conditional write")]
    private static partial void LogContention(ILogger logger, int rounds);
}
