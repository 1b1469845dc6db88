namespace FunctionsHostEmulator;

/// <summary>The worker did not get as far as serving its functions.</summary>
public sealed class WorkerStartupException : Exception
{
    public WorkerStartupException()
    {
    }

    public WorkerStartupException(string message)
        : base(message)
    {
    }

    public WorkerStartupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The worker's exit code when it exited during start-up; null when it was still running.</summary>
    public int? ExitCode { get; init; }
}
