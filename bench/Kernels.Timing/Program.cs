using System.Diagnostics;
using AutoGrad;
using AutoGrad.Models;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Ops;
using AutoGrad.Ops.Kernels;

// Usage: kernels-timing [gemm|steps|layers|softmax|images|all] [--threads N] [--reps R]
// Reports medians because the machine is shared and noisy.
string what = args.FirstOrDefault(a => !a.StartsWith("--")) ?? "all";
int reps = Option("--reps", 5);
using var compute = Compute.Use(new ComputeSettings { Threads = Option("--threads", Environment.ProcessorCount) });
Console.WriteLine($"threads {Threading.Threads}, reps {reps}, Vector512 {System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated}");

if (what is "gemm" or "all")
{
    // W3 FC1 (59536 → 1200, batch 32): forward x·Wᵀ, dx = G·W, dW = Gᵀ·x; then squares.
    Gemm("fc1 fwd  NT 32x1200x59536", false, true, 32, 1200, 59536);
    Gemm("fc1 dx   NN 32x59536x1200", false, false, 32, 59536, 1200);
    Gemm("fc1 dW   TN 1200x59536x32", true, false, 1200, 59536, 32);
    foreach (var (ta, tb) in new[] { (false, false), (false, true), (true, false), (true, true) })
        Gemm($"square {(ta ? 'T' : 'N')}{(tb ? 'T' : 'N')} 256^3", ta, tb, 256, 256, 256);
    Gemm("square NN 512^3", false, false, 512, 512, 512);
    Gemm("conv1 W3 NN 6x63504x75", false, false, 6, 63504, 75);
    // W4 FC1 (23400 → 1200, batch 32).
    Gemm("W4 fc1 fwd NT 32x1200x23400", false, true, 32, 1200, 23400);
    Gemm("W4 fc1 dx  NN 32x23400x1200", false, false, 32, 23400, 1200);
    Gemm("W4 fc1 dW  TN 1200x23400x32", true, false, 1200, 23400, 32);
}
if (what is "layers")
{
    // Forward time per layer of one step (after a warm-up step), to see where a model spends its time.
    foreach (var name in new[] { "seed-lenet5", "seed-lenet5-improved", "lenet5" })
    {
        var model = ModelBuilder.Build<float>(ModelZoo.Resolve(name), 10, seed: 1);
        int batch = name == "lenet5" ? 64 : 32, sample = model.InputShape.Aggregate(1, (p, d) => p * d);
        var x = new Tensor<float>([batch, .. model.InputShape], Enumerable.Range(0, batch * sample).Select(i => (float)(i % 7) / 7).ToArray());
        for (int rep = 0; rep < 2; rep++)
        {
            var node = Node<float>.Input(x);
            var line = new List<string>();
            foreach (var layer in model.Layers)
            {
                long t0 = Stopwatch.GetTimestamp();
                node = layer.Forward(node, new ForwardContext(true, new Random(3)));
                line.Add($"{layer.Name} {Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F1}");
            }
            if (rep == 1) Console.WriteLine($"{name}: {string.Join(", ", line)} ms");
        }
    }
}
if (what is "profile")
{
    // Forward and backward time of each layer alone, on the shapes it sees in a training step (medians, pooled buffers).
    string name = args.SkipWhile(a => a != "--model").Skip(1).FirstOrDefault() ?? "lenet5";
    var model = ModelBuilder.Build<float>(ModelZoo.Resolve(name), 10, seed: 1);
    int batch = Option("--batch", name is "lenet5" or "two-layer-net" or "lenet5-plus" ? 64 : 32);
    var pool = new TensorPool();
    var r = new Random(1);
    int[] shape = [batch, .. model.InputShape];
    double totalF = 0, totalB = 0;
    foreach (var layer in model.Layers)
    {
        var x = new Tensor<float>(shape);
        for (int i = 0; i < x.Length; i++) x.Data[i] = (float)(r.NextDouble() * 2 - 1);
        var fwd = new List<double>();
        var bwd = new List<double>();
        long allocated = 0;
        for (int rep = 0; rep < reps + 3; rep++)
        {
            using var scope = pool.Scope();
            var input = Node<float>.Input(x, requiresGrad: true);
            long a0 = GC.GetTotalAllocatedBytes(true), t0 = Stopwatch.GetTimestamp();
            var y = layer.Forward(input, new ForwardContext(true, new Random(3)));
            long t1 = Stopwatch.GetTimestamp();
            var seed = Tensor<float>.Full(y.Shape, 0.5f);
            long t2 = Stopwatch.GetTimestamp();
            y.Backprop(seed);
            long t3 = Stopwatch.GetTimestamp();
            foreach (var prm in layer.Parameters) prm.ZeroGrad();
            pool.Recycle(y.Value);
            if (input.Grad is not null) pool.Recycle(input.Grad);
            if (rep == reps + 2) allocated = GC.GetTotalAllocatedBytes(true) - a0;
            if (rep >= 3) { fwd.Add(Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds); bwd.Add(Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds); }
            shape = y.Shape.ToArray();
        }
        double f = fwd.Order().ElementAt(fwd.Count / 2), b = bwd.Order().ElementAt(bwd.Count / 2);
        totalF += f; totalB += b;
        Console.WriteLine($"{layer.Name,-12} {layer.Type,-12} forward {f,7:F3} ms  backward {b,7:F3} ms  alloc {allocated / 1e6,6:F2} MB");
    }
    Console.WriteLine($"{"total",-25} forward {totalF,7:F3} ms  backward {totalB,7:F3} ms");
}
if (what is "conv")
{
    // Conv2d forward and backward alone, on the workloads' layer shapes (N, C, H, W, O, k, padding).
    var shapes = new[] { ("W1 conv1", 64, 1, 28, 6, 5, 2), ("W1 conv2", 64, 6, 14, 16, 5, 0),
        ("W3 conv1", 32, 3, 256, 6, 5, 0), ("W3 conv2", 32, 6, 126, 16, 5, 0), ("W4 conv2", 32, 6, 126, 16, 3, 0) }.Select(t => (t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, 1)).ToArray();
    if (args.Contains("--wide"))   // wider layers than the zoo's, to see where each algorithm wins
        shapes = new[] { ("32→32 k3 28", 64, 32, 28, 32, 3, 1), ("32→64 k3 14", 64, 32, 14, 64, 3, 1), ("64→64 k3 14", 64, 64, 14, 64, 3, 1),
                  ("64→128 k3 7", 64, 64, 7, 128, 3, 1), ("16→32 k3 28", 64, 16, 28, 32, 3, 1), ("3→64 k3 64", 16, 3, 64, 64, 3, 1) }
            .Select(t => (t.Item1, t.Item2, t.Item3, t.Item4, t.Item5, t.Item6, t.Item7, 1)).ToArray();
    if (args.Contains("--photo"))   // photo-net's convolutions at batch 64 (N, C, H, O, k, padding, stride)
        shapes = [("stem 3→32 k5 s2", 64, 3, 128, 32, 5, 2, 2), ("res1 32→32 k3 32", 64, 32, 32, 32, 3, 1, 1),
                  ("res2.c1 32→64 s2", 64, 32, 32, 64, 3, 1, 2), ("res2.c2 64→64 16", 64, 64, 16, 64, 3, 1, 1), ("res2.sc 1x1 s2", 64, 32, 32, 64, 1, 0, 2),
                  ("res3.c1 64→128 s2", 64, 64, 16, 128, 3, 1, 2), ("res3.c2 128 8x8", 64, 128, 8, 128, 3, 1, 1), ("res3.sc 1x1 s2", 64, 64, 16, 128, 1, 0, 2),
                  ("res4.c1 128→256 s2", 64, 128, 8, 256, 3, 1, 2), ("res4.c2 256 4x4", 64, 256, 4, 256, 3, 1, 1), ("res4.sc 1x1 s2", 64, 128, 8, 256, 1, 0, 2)];
    var algorithms = args.Contains("--both") ? new[] { ConvAlgorithm.Auto, ConvAlgorithm.Gemm } : [Compute.Current.Convolution];
    foreach (var algorithm in algorithms)
    foreach (var (label0, n, c, h, o, k, p, st) in shapes)
    {
        using var convolution = Compute.Use(Compute.Current with { Convolution = algorithm });
        string label = algorithms.Length > 1 ? $"{label0} {algorithm}" : label0;
        var r = new Random(1);
        var x = Node<float>.Input(new Tensor<float>([n, c, h, h], Enumerable.Range(0, n * c * h * h).Select(_ => (float)r.NextDouble()).ToArray()), requiresGrad: true);
        var w = Node<float>.Parameter(new Tensor<float>([o, c, k, k], Enumerable.Range(0, o * c * k * k).Select(_ => (float)r.NextDouble()).ToArray()), "w");
        var b = Node<float>.Parameter(new Tensor<float>(o), "b");
        Node<float>? y = null;
        double fwd = Median(reps, () => y = Conv2d.Apply(x, w, b, st, p));
        var seed = Tensor<float>.Full(y!.Shape, 1f);
        double bwd = Median(reps, () => { y = Conv2d.Apply(x, w, b, st, p); x.ZeroGrad(); w.ZeroGrad(); b.ZeroGrad(); long t = Stopwatch.GetTimestamp(); y.Backprop(seed); });
        var xc = Node<float>.Input(x.Value);
        double bwdW = Median(reps, () => { y = Conv2d.Apply(xc, w, b, st, p); w.ZeroGrad(); b.ZeroGrad(); y.Backprop(seed); });
        double gmac = (double)n * o * c * k * k * y.Shape[2] * y.Shape[3] / 1e9;
        Console.WriteLine($"{label,-22} forward {fwd,8:F2} ms ({2 * gmac / fwd * 1e3,5:F1} GFLOP/s), forward+backward {bwd,8:F2} ms, without dx {bwdW,8:F2} ms ({6 * gmac / bwd * 1e3,5:F1} GFLOP/s with dx)");
    }
}
if (what is "softmax")
{
    // The log-sum-exp row loop of softmax, log-softmax and the fused cross-entropy (forward only, no graph kept).
    foreach (var (rows, classes) in new[] { (256, 10), (64, 1000) })
    {
        var r = new Random(4);
        var x = new Tensor<float>([rows, classes], Enumerable.Range(0, rows * classes).Select(_ => (float)(r.NextDouble() * 8 - 4)).ToArray());
        var labels = Enumerable.Range(0, rows).Select(i => i % classes).ToArray();
        var input = Node<float>.Input(x);
        using var _ = GradMode.NoGrad();
        void Time(string label, Action body)
        {
            for (int i = 0; i < 20; i++) body();
            double ms = Median(reps, () => { for (int i = 0; i < 200; i++) body(); });
            Console.WriteLine($"{label,-22} {rows}x{classes,-5} {ms * 1000 / 200,8:F2} µs");
        }
        Time("softmax", () => Softmax.Apply(input));
        Time("log_softmax", () => LogSoftmax.Apply(input));
        Time("softmax_cross_entropy", () => SoftmaxCrossEntropy.Apply(input, labels));
    }
}
if (what is "steps" or "all")
{
    Step("lenet5", 64, reps * 4);
    Step("two-layer-net", 64, reps * 4);
    Step("seed-lenet5", 32, reps);
    Step("seed-lenet5-improved", 32, reps);
}

int Option(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
}

void Gemm(string label, bool ta, bool tb, int m, int n, int k)
{
    var r = new Random(1);
    var a = Enumerable.Range(0, m * k).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
    var b = Enumerable.Range(0, k * n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
    var c = new float[m * n];
    AutoGrad.Ops.Kernels.Gemm.Multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0, false);
    double ms = Median(reps, () => AutoGrad.Ops.Kernels.Gemm.Multiply(ta, tb, m, n, k, a, 0, b, 0, c, 0, false));
    Console.WriteLine($"{label,-28} {ms,9:F2} ms {2.0 * m * n * k / ms / 1e6,8:F1} GFLOP/s");
}

void Step(string name, int batch, int count)
{
    var model = ModelBuilder.Build<float>(ModelZoo.Resolve(name), 10, seed: 1);
    var sgd = new Sgd(model.Parameters, momentum: 0.9);
    var r = new Random(2);
    int sample = model.InputShape.Aggregate(1, (p, d) => p * d);
    var images = Enumerable.Range(0, batch * sample).Select(_ => (float)r.NextDouble()).ToArray();
    var labels = Enumerable.Range(0, batch).Select(i => i % 10).ToArray();
    var phases = new List<double[]>();
    void Run()
    {
        long t0 = Stopwatch.GetTimestamp();
        sgd.ZeroGrad();
        var logits = model.Forward(Node<float>.Input(new Tensor<float>([batch, .. model.InputShape], images)), new ForwardContext(true, new Random(3)));
        var loss = SoftmaxCrossEntropy.Apply(logits, labels);
        long t1 = Stopwatch.GetTimestamp();
        loss.Backprop();
        long t2 = Stopwatch.GetTimestamp();
        sgd.Step(0.01);
        long t3 = Stopwatch.GetTimestamp();
        phases.Add([Stopwatch.GetElapsedTime(t0, t1).TotalMilliseconds, Stopwatch.GetElapsedTime(t1, t2).TotalMilliseconds, Stopwatch.GetElapsedTime(t2, t3).TotalMilliseconds]);
    }
    Run();
    phases.Clear();
    double ms = Median(count, Run);
    double Phase(int i) => phases.Select(p => p[i]).Order().ElementAt(phases.Count / 2);
    Console.WriteLine($"step {name,-22} b{batch} {ms,9:F1} ms {batch * 1000 / ms,9:F1} img/s  (forward {Phase(0):F1}, backward {Phase(1):F1}, sgd {Phase(2):F1} ms)");
}

if (what is "images")
{
    // The completeness check per image against what a loader does anyway (header read, full decode + resize),
    // on ImageNet-sized 500×375 photos-like images (smooth gradient plus mild noise), as JPEG q90 and PNG.
    var rng = new Random(1);
    using var photo = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(500, 375);
    for (int y = 0; y < 375; y++)
        for (int x = 0; x < 500; x++)
            photo[x, y] = new((byte)(x / 2 + rng.Next(24)), (byte)(y / 2 + rng.Next(24)), (byte)((x + y) / 4 + rng.Next(24)));
    var config = AutoGrad.Models.Data.ImageConverter.CreateConfiguration();
    foreach (var (name, encoder) in new (string, SixLabors.ImageSharp.Formats.IImageEncoder)[]
        { ("jpeg", new SixLabors.ImageSharp.Formats.Jpeg.JpegEncoder { Quality = 90 }), ("png", new SixLabors.ImageSharp.Formats.Png.PngEncoder()) })
    {
        using var stream = new MemoryStream();
        photo.Save(stream, encoder);
        byte[] bytes = stream.ToArray();
        string path = Path.Combine(Path.GetTempPath(), $"kernels-timing-photo.{name}");
        File.WriteAllBytes(path, bytes);
        var format = SixLabors.ImageSharp.Image.DetectFormat(config, bytes);
        var chw = new byte[3 * 224 * 224];
        const int inner = 50;
        double check = Median(reps, () => { for (int i = 0; i < inner; i++) AutoGrad.Models.Data.ImageIntegrity.FindDamage(bytes, format); }) / inner;
        double header = Median(reps, () => { for (int i = 0; i < inner; i++) SixLabors.ImageSharp.Image.Identify(config, bytes, out _); }) / inner;
        double decode = Median(reps, () => { for (int i = 0; i < 5; i++) AutoGrad.Models.Data.ImageConverter.DecodeFile(path, 3, 224, 224, config, chw); }) / 5;
        File.Delete(path);
        Console.WriteLine($"image {name,-5} {bytes.Length / 1024.0,7:F1} KiB: completeness check {check * 1000,8:F1} µs, header read {header * 1000,8:F1} µs, " +
            $"read + check + decode + resize to 224×224 {decode:F2} ms (check = {check / decode:P2} of it)");
    }
}

static double Median(int count, Action body)
{
    var times = new double[count];
    for (int i = 0; i < count; i++)
    {
        long t0 = Stopwatch.GetTimestamp();
        body();
        times[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
    }
    Array.Sort(times);
    return times[count / 2];
}
