using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LogoutFunction.Benchmarks;

// In-process: the benchmarks call the app's own classes, and a generated child project
// would rebuild the Functions app (and its generated WorkerExtensions) for nothing.
// --smoke (bench.sh --smoke): one dry pass of each benchmark, enough to show that they run.
var smoke = args.Contains("--smoke");
var job = (smoke ? Job.Dry : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
var summaries = BenchmarkSwitcher.FromAssembly(typeof(TokenValidationBenchmarks).Assembly)
    .Run([.. args.Where(arg => arg != "--smoke")], DefaultConfig.Instance.AddJob(job));

// A benchmark that throws is reported and skipped by BenchmarkDotNet; bench.sh must stop on it.
return summaries.Any(summary => summary.HasCriticalValidationErrors || summary.Reports.Any(report => !report.Success)) ? 1 : 0;
