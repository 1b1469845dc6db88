using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Logging;

/// <summary>
/// Every message the emulator logs. The texts of the invocation messages follow the host's, so the
/// output reads like <c>func start</c>'s.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Executing 'Functions.{FunctionName}' (Reason='This function was programmatically called via the host APIs.', Id={InvocationId})")]
    public static partial void Executing(ILogger logger, string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed 'Functions.{FunctionName}' (Succeeded, Id={InvocationId}, Duration={Duration}ms)")]
    public static partial void ExecutedSucceeded(ILogger logger, string functionName, string invocationId, long duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed 'Functions.{FunctionName}' (Failed, Id={InvocationId}, Duration={Duration}ms)\nResult: Failure\nException: {ExceptionMessage}\nStack: {StackTrace}")]
    public static partial void ExecutedFailed(ILogger logger, string functionName, string invocationId, long duration, string? exceptionMessage, string? stackTrace);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed 'Functions.{FunctionName}' (Failed, Id={InvocationId}, Duration={Duration}ms): {Reason}")]
    public static partial void ExecutedWithoutWorker(ILogger logger, string functionName, string invocationId, long duration, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Executed 'Functions.{FunctionName}' (Cancelled, Id={InvocationId}, Duration={Duration}ms): the client disconnected")]
    public static partial void ExecutedCancelled(ILogger logger, string functionName, string invocationId, long duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "Timeout value of {Timeout} exceeded by function 'Functions.{FunctionName}' (Id: '{InvocationId}'). Initiating cancellation.")]
    public static partial void FunctionTimedOut(ILogger logger, TimeSpan? timeout, string functionName, string invocationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed to proxy request to the worker. Retrying in {Delay}ms. Attempt {Attempt} of {MaxRetries}.")]
    public static partial void ForwardingRetry(ILogger logger, double delay, int attempt, int maxRetries);

    [LoggerMessage(Level = LogLevel.Error, Message = "Executed 'Functions.{FunctionName}' (Failed, Id={InvocationId}, Duration={Duration}ms): Failed to proxy request with ForwarderError: {ForwarderError}")]
    public static partial void ForwardingFailed(ILogger logger, string functionName, string invocationId, long duration, string forwarderError);

    [LoggerMessage(Level = LogLevel.Error, Message = "Worker failed to load function: '{FunctionName}' with functionId: '{FunctionId}': {Reason}")]
    public static partial void FunctionLoadFailed(ILogger logger, string functionName, string functionId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopping worker process {ProcessId}")]
    public static partial void StoppingWorker(ILogger logger, int processId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Starting worker: {FileName} {Arguments}")]
    public static partial void StartingWorker(ILogger logger, string fileName, string arguments);

    [LoggerMessage(Level = LogLevel.Information, Message = "{WorkerOutputLine}")]
    public static partial void WorkerStdout(ILogger logger, string workerOutputLine);

    [LoggerMessage(Level = LogLevel.Error, Message = "{WorkerErrorLine}")]
    public static partial void WorkerStderr(ILogger logger, string workerErrorLine);

    [LoggerMessage(Message = "{WorkerMessage}")]
    public static partial void WorkerLog(ILogger logger, LogLevel level, string workerMessage);

    [LoggerMessage(Message = "{WorkerMessage}\n{ExceptionType}: {ExceptionMessage}\n{StackTrace}")]
    public static partial void WorkerLogWithException(ILogger logger, LogLevel level, string workerMessage, string exceptionType, string exceptionMessage, string stackTrace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejecting an event stream that did not start with StartStream for worker {WorkerId}")]
    public static partial void RejectedStream(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} opened a second event stream; ignoring it")]
    public static partial void SecondStream(ILogger logger, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Worker {WorkerId} stream ended abruptly")]
    public static partial void StreamEndedAbruptly(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Writing to worker {WorkerId} failed")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignoring {MessageType} from worker {WorkerId}")]
    public static partial void IgnoringMessage(ILogger logger, Rpc.StreamingMessage.ContentOneofCase messageType, string workerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No one is waiting for {Key}")]
    public static partial void NoWaiter(ILogger logger, string key);
}
