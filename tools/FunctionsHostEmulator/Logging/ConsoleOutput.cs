namespace FunctionsHostEmulator.Logging;

/// <summary>The default output: whole lines to stdout, never interleaved mid-line.</summary>
internal static class ConsoleOutput
{
    private static readonly Lock Gate = new();

    public static void WriteLine(string line)
    {
        lock (Gate)
        {
            Console.Out.WriteLine(line);
        }
    }
}
