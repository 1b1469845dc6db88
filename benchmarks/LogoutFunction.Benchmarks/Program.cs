using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using LogoutFunction.Benchmarks;

// In-process: the benchmarks call the app's own classes, and a generated child project
// would rebuild the Functions app (and its generated WorkerExtensions) for nothing.
var config = DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance));
BenchmarkSwitcher.FromAssembly(typeof(TokenValidationBenchmarks).Assembly).Run(args, config);
