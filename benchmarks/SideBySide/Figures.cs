namespace SideBySide;

/// <summary>What one round measured: each app's figures, and the store alone's p50 (the same delete sent by wrk straight to Azurite).</summary>
internal sealed record RoundFigures(IReadOnlyDictionary<string, AppFigures> Apps, double StoreAloneLatencyMs);

/// <summary>What one round measured of one app.</summary>
/// <param name="ColdStartMs">From launching the worker to the first 200 of its first request (one that reaches the store, for the apps that do).</param>
/// <param name="LoadLatencyMs">p50 of the load request one at a time (wrk, one kept-alive connection), the median of the round's slices.</param>
/// <param name="StoreLatencyMs">The same for requests that reach the store; NaN for the apps that never do.</param>
/// <param name="PeakMemoryMb">The worker's peak resident memory once the round is over, so after the latency runs too (Linux only).</param>
internal sealed record AppFigures(double ColdStartMs, double LoadLatencyMs, double StoreLatencyMs, double? PeakMemoryMb, LoadFigures Load);

/// <summary>
/// The load run: the load request at <see cref="Workload.Concurrency"/>, and the CPU time per
/// answered request of the worker and of this process (the emulated host's, since it runs
/// here), which says which side a difference in throughput comes from.
/// </summary>
/// <param name="PeakMemoryMb">The worker's peak resident memory right after the load (Linux only).</param>
internal sealed record LoadFigures(double RequestsPerSecond, double WorkerCpuMicroseconds, double HostCpuMicroseconds, double? PeakMemoryMb);
