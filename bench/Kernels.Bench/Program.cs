using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(AutoGrad.Bench.GemmBenchmarks).Assembly).Run(args);
