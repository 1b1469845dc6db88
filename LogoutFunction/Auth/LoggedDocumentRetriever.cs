using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;

namespace LogoutFunction.Auth;

/// <summary>
/// The issuer's documents, with every failed fetch logged: the configuration manager keeps the
/// last keys quietly, and an operator needs to know that the issuer cannot be reached.
/// </summary>
internal sealed partial class LoggedDocumentRetriever(IDocumentRetriever inner, ILogger logger) : IDocumentRetriever
{
    public async Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        try
        {
            return await inner.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            LogFailed(logger, address, FailureOf(e));
            throw;
        }
    }

    /// <summary>Why a fetch failed, in words the app chooses: never the document or the library's message.</summary>
    private static string FailureOf(Exception e)
    {
        for (var cause = e; cause is not null; cause = cause.InnerException)
        {
            if (cause is IssuerDocumentLimitsHandler.RefusedException refused)
            {
                return refused.Message;
            }
        }

        // IdentityModel's retriever records an unsuccessful answer's status in the exception's data.
        return e.Data[HttpDocumentRetriever.StatusCode] is System.Net.HttpStatusCode status
            ? $"it answered {(int)status}"
            : e.InnerException?.GetType().Name ?? e.GetType().Name;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Signing keys could not be fetched from {Address} ({Failure}); the keys fetched before stay in use, and without any, tokens that need them are answered 503")]
    private static partial void LogFailed(ILogger logger, string address, string failure);
}
