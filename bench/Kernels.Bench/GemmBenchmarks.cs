using AutoGrad.Ops.Kernels;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Bench;

/// <summary>float GEMM on seed-lenet5's FC1 shapes (59536 → 1200, batch 32) and on squares, all transposes.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    public record Shape(string Name, bool TransA, bool TransB, int M, int N, int K)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Shape> Shapes() =>
    [
        new("fc1-forward NT 32x1200x59536", false, true, 32, 1200, 59536),
        new("fc1-dx NN 32x59536x1200", false, false, 32, 59536, 1200),
        new("fc1-dW TN 1200x59536x32", true, false, 1200, 59536, 32),
        new("square NN 256", false, false, 256, 256, 256),
        new("square NT 256", false, true, 256, 256, 256),
        new("square TN 256", true, false, 256, 256, 256),
        new("square TT 256", true, true, 256, 256, 256),
    ];

    [ParamsSource(nameof(Shapes))]
    public Shape S { get; set; } = null!;

    private float[] a = [], b = [], c = [];

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        a = Enumerable.Range(0, S.M * S.K).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        b = Enumerable.Range(0, S.K * S.N).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        c = new float[S.M * S.N];
    }

    [Benchmark]
    public void Multiply() => Gemm.Multiply(S.TransA, S.TransB, S.M, S.N, S.K, a, 0, b, 0, c, 0, false);
}
