using System.Globalization;

namespace SideBySide;

/// <summary>
/// Waits, before a cold start or a load run, until the machine is idle: the apps of a round all
/// stay up, and the ones started just before keep compiling and collecting in the background
/// for a while, which would otherwise land on whichever app is measured next. Linux reads /proc/stat; elsewhere
/// a fixed pause stands in.
/// </summary>
internal static class MachineQuiet
{
    private const string CpuTimes = "/proc/stat";
    private const double IdleEnough = 0.90;
    private const int QuietSamplesNeeded = 2;
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan PauseWithoutProcStat = TimeSpan.FromSeconds(2);

    public static async Task WaitAsync()
    {
        if (!File.Exists(CpuTimes))
        {
            await Task.Delay(PauseWithoutProcStat).ConfigureAwait(false);
            return;
        }

        var deadline = DateTime.UtcNow + LongestWait;
        var quiet = 0;
        var before = Read();
        while (quiet < QuietSamplesNeeded && DateTime.UtcNow < deadline)
        {
            await Task.Delay(Sample).ConfigureAwait(false);
            var after = Read();
            var total = after.Total - before.Total;
            quiet = total > 0 && (double)(after.Idle - before.Idle) / total >= IdleEnough ? quiet + 1 : 0;
            before = after;
        }

        if (quiet < QuietSamplesNeeded)
        {
            Console.Error.WriteLine($"the machine did not quieten within {LongestWait.TotalSeconds:0} s; measuring anyway");
        }
    }

    /// <summary>
    /// The first line of /proc/stat: jiffies per state, idle and I/O wait counting as idle. Only
    /// the first eight states: guest time is counted again in user time.
    /// </summary>
    private static (long Idle, long Total) Read()
    {
        var fields = File.ReadLines(CpuTimes).First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(field => long.Parse(field, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }
}
