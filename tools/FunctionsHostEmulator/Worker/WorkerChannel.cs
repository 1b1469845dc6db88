using System.Collections.Concurrent;
using System.Threading.Channels;
using FunctionsHostEmulator.Rpc;
using FunctionsHostEmulator.Logging;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Worker;

/// <summary>
/// The host's side of one worker's FunctionRpc.EventStream: a single writer loop for outgoing
/// messages (a gRPC stream writer takes one write at a time) and a reader loop that routes the
/// worker's answers to whoever is waiting for them and its logs to the output.
/// </summary>
internal sealed class WorkerChannel
{
    private readonly Channel<StreamingMessage> _outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disconnected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _pending = new();
    private readonly ILogger _hostLogger;
    private readonly ILogger _workerLogger;
    private int _streamOpened;

    public WorkerChannel(string workerId, ILoggerFactory loggerFactory)
    {
        WorkerId = workerId;
        _hostLogger = loggerFactory.CreateLogger("Host.Worker");
        _workerLogger = loggerFactory.CreateLogger("Function");
    }

    public string WorkerId { get; }

    /// <summary>Completes when the worker has opened its stream and sent StartStream.</summary>
    public Task Connected => _connected.Task;

    /// <summary>Completes when the stream has ended, for whatever reason.</summary>
    public Task Disconnected => _disconnected.Task;

    public WorkerCapabilities Capabilities { get; set; } = WorkerCapabilities.None;

    /// <summary>Serves the stream until the worker closes it or <see cref="Close"/> is called.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> reader, IServerStreamWriter<StreamingMessage> writer, CancellationToken callCancelled)
    {
        if (Interlocked.Exchange(ref _streamOpened, 1) != 0)
        {
            // We never announce the MultiStream capability, so a second stream is a protocol error.
            Log.SecondStream(_hostLogger, WorkerId);
            return;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(callCancelled);
        _connected.TrySetResult();
        var writing = WriteLoopAsync(writer, stop);
        try
        {
            while (await reader.MoveNext(stop.Token).ConfigureAwait(false))
            {
                Dispatch(reader.Current);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Closed by us, or the call was torn down.
        }
        catch (IOException ex)
        {
            Log.StreamEndedAbruptly(_hostLogger, ex, WorkerId);
        }
        finally
        {
            _outbound.Writer.TryComplete();
            await stop.CancelAsync().ConfigureAwait(false);
            await writing.ConfigureAwait(false);
            FailPending(new IOException("The worker's gRPC stream closed."));
            _disconnected.TrySetResult();
        }
    }

    /// <summary>Sends <paramref name="message"/> and waits for the answer of the given kind matched by <paramref name="key"/>.</summary>
    public async Task<StreamingMessage> RequestAsync(StreamingMessage message, StreamingMessage.ContentOneofCase answer, string key, CancellationToken cancellationToken)
    {
        var pendingKey = PendingKey(answer, key);
        var waiter = new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.TryAdd(pendingKey, waiter))
        {
            throw new InvalidOperationException($"A {answer} for '{key}' is already awaited.");
        }

        try
        {
            if (Disconnected.IsCompleted || !_outbound.Writer.TryWrite(message))
            {
                throw new IOException("The worker's gRPC stream is closed.");
            }

            return await waiter.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _pending.TryRemove(pendingKey, out _);
        }
    }

    /// <summary>Sends a message that has no answer.</summary>
    public void Send(StreamingMessage message) => _outbound.Writer.TryWrite(message);

    public void SendTerminate(TimeSpan gracePeriod) =>
        Send(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });

    /// <summary>Ends the host's side of the stream; the worker sees the end and the call completes.</summary>
    public void Close() => _outbound.Writer.TryComplete();

    private static string PendingKey(StreamingMessage.ContentOneofCase kind, string key) => kind + "/" + key;

    private async Task WriteLoopAsync(IServerStreamWriter<StreamingMessage> writer, CancellationTokenSource stop)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                await writer.WriteAsync(message, stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or Grpc.Core.RpcException)
        {
            Log.WriteFailed(_hostLogger, ex, WorkerId);
        }
        finally
        {
            // Whoever ended the writing (Close, or a failed write) also ends the reading, so RunAsync returns.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                ForwardLog(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                Complete(PendingKey(message.ContentCase, string.Empty), message);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                Complete(PendingKey(message.ContentCase, message.FunctionLoadResponse.FunctionId), message);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                Complete(PendingKey(message.ContentCase, message.InvocationResponse.InvocationId), message);
                break;
            default:
                Log.IgnoringMessage(_hostLogger, message.ContentCase, WorkerId);

                break;
        }
    }

    private void Complete(string key, StreamingMessage message)
    {
        if (_pending.TryGetValue(key, out var waiter))
        {
            waiter.TrySetResult(message);
        }
        else
        {
            // E.g. the answer to an invocation that already timed out.
            Log.NoWaiter(_hostLogger, key);
        }
    }

    private void FailPending(Exception error)
    {
        foreach (var waiter in _pending.Values)
        {
            waiter.TrySetException(error);
        }
    }

    private void ForwardLog(RpcLog log)
    {
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };

        if (log.LogCategory == RpcLog.Types.RpcLogCategory.CustomMetric || !_workerLogger.IsEnabled(level))
        {
            return;
        }

        if (log.Exception is { } exception)
        {
            Log.WorkerLogWithException(_workerLogger, level, log.Message, exception.Type, exception.Message, exception.StackTrace);
        }
        else
        {
            Log.WorkerLog(_workerLogger, level, log.Message);
        }
    }
}
