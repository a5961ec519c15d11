using System.Diagnostics;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Training;
using AutoGrad.Ops;

namespace AutoGrad.Models.Benchmarks;

/// <summary>One benchmark measurement: medians over timed steps after warm-up.</summary>
public sealed record BenchmarkResult(string Model, int Batch, int Threads, int Steps, double ImagesPerSecond, double MsPerStep,
    double Gflops, long AllocatedBytesPerStep, double PeakRssMb);

/// <summary>
/// Times training steps (forward, backward, SGD with momentum) of a model on synthetic float32 inputs.
/// FLOPs are counted as 3 × 2 × forward multiply-adds per image (forward, input gradient, weight gradient).
/// Allocation is the process-wide GC allocation per step; peak RSS is the kernel's high-water mark.
/// </summary>
public static class TrainingBenchmark
{
    public static BenchmarkResult Run(ModelSpec spec, int classes, int batch, int steps, int warmup = 2, int seed = 1)
    {
        if (batch < 1) throw new AutoGradException($"`BatchSize` must be at least 1 (got {batch})");
        if (steps < 1) throw new AutoGradException($"`Steps` must be at least 1 (got {steps})");
        var model = ModelBuilder.Build<float>(spec, classes, seed);
        var optimizer = new Sgd(model.Parameters, momentum: 0.9);
        var rng = new Random(seed);
        var input = new Tensor<float>([batch, .. spec.Input]);
        for (int i = 0; i < input.Length; i++) input.Data[i] = (float)(rng.NextDouble() * 2 - 1);
        var labels = Enumerable.Range(0, batch).Select(_ => rng.Next(classes)).ToArray();
        long macs = ModelSummary.Rows(model).Sum(r => r.MultiplyAdds);
        var pool = new TensorPool();   // steady-state steps reuse op outputs and gradients
        var times = new List<double>();
        long allocated = 0;
        for (int s = 0; s < warmup + steps; s++)
        {
            long before = GC.GetTotalAllocatedBytes(precise: false);
            var timer = Stopwatch.StartNew();
            using var step = pool.Scope();
            optimizer.ZeroGrad(pool);
            var loss = SoftmaxCrossEntropy.Apply(model.Forward(Node<float>.Input(input), new ForwardContext(true, new Random(s))), labels);
            loss.Backprop();
            optimizer.Step(0.01);
            timer.Stop();
            if (s >= warmup)
            {
                times.Add(timer.Elapsed.TotalMilliseconds);
                allocated += GC.GetTotalAllocatedBytes(precise: false) - before;
            }
        }
        times.Sort();
        double median = times[times.Count / 2];
        double imagesPerSecond = batch / (median / 1000);
        double gflops = 6.0 * macs * batch / (median / 1000) / 1e9;
        return new BenchmarkResult(spec.Name, batch, Threading.Threads, steps, imagesPerSecond, median, gflops, allocated / steps, PeakRssMb());
    }

    /// <summary>Peak resident set size of this process (VmHWM on Linux; the peak working set elsewhere).</summary>
    public static double PeakRssMb()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line[6..].Trim().Split(' ')[0]) / 1024.0;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
