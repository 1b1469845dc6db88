using Azure.Core;
using Azure.Core.Pipeline;

namespace LogoutFunction.RefreshTokens;

/// <summary>Records every attempt of a tracked delete (<see cref="DeleteAttempts"/>); placed per retry, so it sees each one.</summary>
internal sealed class DeleteAttemptsPolicy : HttpPipelinePolicy
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
