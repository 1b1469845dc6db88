using Azure;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// One call to the store within its time budget, the SDK's retries included. Every failure a
/// later retry may fix (no answer, a timeout, throttling, the service's own errors, no
/// credential) is logged once and answered with the caller's "unavailable" value; what retrying
/// cannot fix, such as a missing role assignment, is thrown.
/// </summary>
internal static partial class TableCall
{
    /// <summary>The whole budget of one call: a dead store answers 503 in seconds, well inside the host's function timeout.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, T unavailable, ILogger logger, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await call(timeout.Token).ConfigureAwait(false);
        }
        catch (RequestFailedException e) when (IsTransientStatus(e))
        {
            LogStoreFailure(logger, e.Status, e.ErrorCode);
        }
        catch (AggregateException e) when (cancellationToken.IsCancellationRequested)
        {
            // The caller went away during the SDK's retries: a cancellation, not a store fault.
            throw new OperationCanceledException("The caller cancelled the store call.", e, cancellationToken);
        }
        catch (AggregateException e) when (e.InnerExceptions.All(IsTransientAttempt))
        {
            // The SDK's retry policy gives up with every attempt's failure, the budget's
            // cancellation included when it ran out mid-retry.
            if (timeout.IsCancellationRequested)
            {
                LogStoreTimeout(logger, Timeout.TotalSeconds);
            }
            else
            {
                var last = e.InnerExceptions.OfType<RequestFailedException>().LastOrDefault();
                LogStoreFailure(logger, last?.Status ?? 0, last?.ErrorCode);
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogStoreTimeout(logger, Timeout.TotalSeconds);
        }
        catch (Exception e) when (e is AuthenticationFailedException or CredentialUnavailableException)
        {
            // From inside the app, an identity endpoint that does not answer looks the same as
            // an identity that is not there: answer "retry", and log the cause as an error.
            LogCredentialFailure(logger, e.GetType().Name);
        }

        return unavailable;
    }

    /// <summary>No answer (status 0), a timeout, throttling or a server-side failure: worth a retry later.</summary>
    private static bool IsTransientStatus(RequestFailedException e) => e.Status is 0 or 408 or 429 or >= 500;

    /// <summary>One failed attempt inside the SDK's retries: a transient answer, or a network timeout.</summary>
    private static bool IsTransientAttempt(Exception e) =>
        e is RequestFailedException failure ? IsTransientStatus(failure) : e is OperationCanceledException or IOException or HttpRequestException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh-token store request failed: status {Status} (0 = no answer), error {ErrorCode}")]
    private static partial void LogStoreFailure(ILogger logger, int status, string? errorCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refresh-token store did not answer within {TimeoutSeconds} s")]
    private static partial void LogStoreTimeout(ILogger logger, double timeoutSeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "No credential for the refresh-token store: {CredentialError}")]
    private static partial void LogCredentialFailure(ILogger logger, string credentialError);
}
