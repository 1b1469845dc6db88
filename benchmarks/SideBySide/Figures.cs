namespace SideBySide;

/// <summary>What one round measured of one app.</summary>
/// <param name="ColdStartMs">From launching the worker to the first 200 of its first request (a revoking one, for the apps that reach the store).</param>
/// <param name="MedianLatencyMs">Requests one at a time, taking turns with the other apps' (see <see cref="Round"/>).</param>
/// <param name="PeakMemoryMb">The worker's peak resident memory once the round is over, so after the latency run too (Linux only).</param>
internal sealed record AppFigures(double ColdStartMs, double MedianLatencyMs, double? PeakMemoryMb, LoadFigures Load);

/// <summary>
/// The load run: the load request at <see cref="Workload.Concurrency"/>, and the CPU time per
/// answered request of the worker and of this process (the emulated host's, since it runs
/// here), which says which side a difference in throughput comes from.
/// </summary>
/// <param name="PeakMemoryMb">The worker's peak resident memory right after the load (Linux only).</param>
internal sealed record LoadFigures(double RequestsPerSecond, double WorkerCpuMicroseconds, double HostCpuMicroseconds, double? PeakMemoryMb);
