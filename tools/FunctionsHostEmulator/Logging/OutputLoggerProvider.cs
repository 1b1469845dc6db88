using System.Globalization;
using Microsoft.Extensions.Logging;

namespace FunctionsHostEmulator.Logging;

/// <summary>
/// Writes log entries as single timestamped lines to the options' output, the way Core Tools prints
/// host and worker logs ("[2025-01-01T00:00:00.000Z] message").
/// </summary>
internal sealed class OutputLoggerProvider(Action<string> output, LogLevel minimumLevel) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new OutputLogger(output, categoryName, minimumLevel);

    public void Dispose()
    {
    }

    private sealed class OutputLogger(Action<string> output, string category, LogLevel minimumLevel) : ILogger
    {
        // Framework categories (Kestrel, gRPC, hosting) only matter when something goes wrong.
        private readonly LogLevel _threshold = category.StartsWith("Microsoft.", StringComparison.Ordinal)
            || category.StartsWith("Grpc.", StringComparison.Ordinal)
                ? LogLevel.Warning
                : minimumLevel;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= _threshold;

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
