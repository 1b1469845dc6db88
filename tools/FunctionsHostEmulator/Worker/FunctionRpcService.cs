using FunctionsHostEmulator.Rpc;
using FunctionsHostEmulator.Logging;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Worker;

/// <summary>
/// The gRPC endpoint the worker connects to. The first message of a stream must be StartStream
/// from the worker we launched; the rest of the conversation belongs to its <see cref="WorkerChannel"/>.
/// </summary>
internal sealed class FunctionRpcService(WorkerChannel channel, ILogger<FunctionRpcService> logger) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(
        IAsyncStreamReader<StreamingMessage> requestStream,
        IServerStreamWriter<StreamingMessage> responseStream,
        ServerCallContext context)
    {
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var first = requestStream.Current;
        if (first.ContentCase != StreamingMessage.ContentOneofCase.StartStream
            || !string.Equals(first.StartStream.WorkerId, channel.WorkerId, StringComparison.Ordinal))
        {
            Log.RejectedStream(logger, channel.WorkerId);
            return;
        }

        await channel.RunAsync(requestStream, responseStream, context.CancellationToken).ConfigureAwait(false);
    }
}
