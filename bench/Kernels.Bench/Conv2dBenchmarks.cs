using AutoGrad.Ops;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Bench;

/// <summary>
/// Conv2d forward and forward + backward on the seed-lenet5 and lenet5 layer shapes (float), with the direct
/// AVX-512 kernels (Auto, where the machine has them) and with im2col + GEMM, side by side.
/// </summary>
[MemoryDiagnoser]
public class Conv2dBenchmarks
{
    public record Layer(string Name, int Batch, int C, int H, int W, int O, int K, int Padding)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Layer> Layers() =>
    [
        // Short names: BenchmarkDotNet truncates long parameter values in its table.
        new("W3-conv1", 32, 3, 256, 256, 6, 5, 0),    // seed-lenet5: 32×3×256×256 → 6, k5
        new("W3-conv2", 32, 6, 126, 126, 16, 5, 0),   // 32×6×126×126 → 16, k5
        new("W1-conv1", 64, 1, 28, 28, 6, 5, 2),      // lenet5: 64×1×28×28 → 6, k5, padding 2
        new("W1-conv2", 64, 6, 14, 14, 16, 5, 0),     // 64×6×14×14 → 16, k5
    ];

    [ParamsSource(nameof(Layers))]
    public Layer L { get; set; } = null!;

    [Params(ConvAlgorithm.Auto, ConvAlgorithm.Gemm)]
    public ConvAlgorithm Algorithm { get; set; }

    private Tensor<float> x = null!, w = null!, bias = null!;
    private ComputeSettings settings = ComputeSettings.Default;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        x = new Tensor<float>([L.Batch, L.C, L.H, L.W], Random(L.Batch * L.C * L.H * L.W));
        w = new Tensor<float>([L.O, L.C, L.K, L.K], Random(L.O * L.C * L.K * L.K));
        bias = new Tensor<float>([L.O], Random(L.O));
        settings = ComputeSettings.Default with { Convolution = Algorithm };
    }

    [Benchmark]
    public Tensor<float> Forward()
    {
        using var compute = Compute.Use(settings);
        return Conv2d.Apply(Node<float>.Input(x), Node<float>.Input(w), Node<float>.Input(bias), 1, L.Padding).Value;
    }

    [Benchmark]
    public Tensor<float>? ForwardBackward()
    {
        using var compute = Compute.Use(settings);
        var input = Node<float>.Input(x, requiresGrad: true);
        var weight = Node<float>.Parameter(w, "w");
        Sum.Apply(Conv2d.Apply(input, weight, Node<float>.Parameter(bias, "b"), 1, L.Padding)).Backprop();
        return weight.Grad;
    }
}
