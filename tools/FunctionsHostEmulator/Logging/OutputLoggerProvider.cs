using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Logging;

/// <summary>
/// Writes log entries as single timestamped lines to the options' output, the way Core Tools prints
/// host and worker logs ("[2025-01-01T00:00:00.000Z] message"). Which entries reach it, the logger
/// factory's filters decide (<see cref="HostLogging"/>).
/// </summary>
internal sealed class OutputLoggerProvider(Action<string> output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(output);

    public void Dispose()
    {
    }

    private sealed class OutputLogger(Action<string> output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var timestamp = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
            var message = formatter(state, exception);
            if (exception is not null)
            {
                message = message + Environment.NewLine + exception;
            }

            output("[" + timestamp + "] " + message);
        }
    }
}
