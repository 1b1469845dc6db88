using Azure.Core;
using Azure.Core.Pipeline;

namespace LogoutFunction.RefreshTokens;

/// <summary>
/// What the SDK's retries of one delete went through (<see cref="Policy"/> records each attempt), so that a 404 after a retry is read for what it is: when an earlier attempt may
/// have reached the store and deleted the entity (its answer was lost, or said nothing certain),
/// the 404 may be that attempt's work rather than nothing to revoke.
/// </summary>
internal sealed class DeleteAttempts
{
    private const string PropertyName = "LogoutFunction.DeleteAttempts";

    private int _mayHaveDeleted;

    /// <summary>An attempt before the last one may have deleted the entity.</summary>
    public bool EarlierAttemptMayHaveDeleted => Volatile.Read(ref _mayHaveDeleted) == 1;

    /// <summary>Makes the SDK's requests started inside the returned scope carry this record.</summary>
    public IDisposable Track() =>
        HttpPipeline.CreateHttpMessagePropertiesScope(new Dictionary<string, object?> { [PropertyName] = this });

    private static DeleteAttempts? Of(HttpMessage message) =>
        message.TryGetProperty(PropertyName, out var value) ? value as DeleteAttempts : null;

    /// <summary>
    /// One attempt ended: with no answer (null), or with a status. Only throttling (429, 503
    /// ServerBusy) says the store did not carry the request out; a timeout (408), a 500 (the
    /// service's OperationTimedOut among them), a gateway's 502 or 504, or no answer at all may
    /// each come after the delete was done.
    /// </summary>
    private void Ended(int? status)
    {
        if (status is not (204 or 404 or 429 or 503))
        {
            Volatile.Write(ref _mayHaveDeleted, 1);
        }
    }

    /// <summary>Records every attempt of a tracked delete; placed per retry, so it sees each one.</summary>
    public sealed class Policy : HttpPipelinePolicy
    {
        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline, async: false).AsTask().GetAwaiter().GetResult();

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            ProcessAsync(message, pipeline, async: true);

        private static async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline, bool async)
        {
            var attempts = DeleteAttempts.Of(message);
            try
            {
                if (async)
                {
                    await ProcessNextAsync(message, pipeline).ConfigureAwait(false);
                }
                else
                {
                    ProcessNext(message, pipeline);
                }
            }
            catch
            {
                attempts?.Ended(status: null);
                throw;
            }

            attempts?.Ended(message.HasResponse ? message.Response.Status : null);
        }
    }
}
