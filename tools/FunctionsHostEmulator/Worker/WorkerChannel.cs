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

    /// <summary>The logger of each running invocation's own logs (Function.&lt;name&gt;.User), by invocation id.</summary>
    private readonly ConcurrentDictionary<string, ILogger> _invocations = new();
    private readonly ConcurrentDictionary<string, ILogger> _userLoggers = new();
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _hostLogger;
    private readonly ILogger _systemLogger;
    private int _streamOpened;

    public WorkerChannel(string workerId, string runtime, ILoggerFactory loggerFactory)
    {
        WorkerId = workerId;
        _loggerFactory = loggerFactory;
        _hostLogger = loggerFactory.CreateLogger("Host.Worker");
        _systemLogger = loggerFactory.CreateLogger(HostLogging.WorkerChannelCategory(runtime, workerId));
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

    /// <summary>
    /// Routes the worker's logs for <paramref name="invocationId"/> to <paramref name="functionName"/>'s
    /// user category until disposed; the host drops those of invocations it no longer runs.
    /// </summary>
    public IDisposable TrackInvocation(string invocationId, string functionName)
    {
        _invocations[invocationId] = _userLoggers.GetOrAdd(functionName, name => _loggerFactory.CreateLogger(HostLogging.FunctionUserCategory(name)));
        return new Untrack(_invocations, invocationId);
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

        // As src/WebJobs.Script.Grpc/Channel/GrpcWorkerChannel.cs (SystemLog, Log): system logs to the
        // worker channel's category, an invocation's to its function's user category, others dropped.
        var logger = log.LogCategory switch
        {
            RpcLog.Types.RpcLogCategory.System => _systemLogger,
            RpcLog.Types.RpcLogCategory.User when _invocations.TryGetValue(log.InvocationId, out var invocation) => invocation,
            _ => null,
        };
        if (logger is null || !logger.IsEnabled(level))
        {
            return;
        }

        if (log.Exception is { } exception)
        {
            Log.WorkerLogWithException(logger, level, log.Message, exception.Type, exception.Message, exception.StackTrace);
        }
        else
        {
            Log.WorkerLog(logger, level, log.Message);
        }
    }

    private sealed class Untrack(ConcurrentDictionary<string, ILogger> invocations, string invocationId) : IDisposable
    {
        public void Dispose() => invocations.TryRemove(invocationId, out _);
    }
}
