using System.Globalization;

namespace SideBySide;

/// <summary>The worker's peak resident memory, from Linux's /proc (VmHWM); null elsewhere.</summary>
internal static class WorkerMemory
{
    public static double? PeakMegabytes(int processId)
    {
        var status = $"/proc/{processId}/status";
        if (!File.Exists(status))
        {
            return null;
        }

        var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        var kilobytes = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kilobytes is null ? null : double.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024;
    }
}
