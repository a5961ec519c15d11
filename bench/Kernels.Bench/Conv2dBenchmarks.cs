using AutoGrad.Ops;
using BenchmarkDotNet.Attributes;

namespace AutoGrad.Bench;

/// <summary>Conv2d forward and forward + backward on the seed-lenet5 and lenet5 layer shapes (float).</summary>
[MemoryDiagnoser]
public class Conv2dBenchmarks
{
    public record Layer(string Name, int Batch, int C, int H, int W, int O, int K, int Padding)
    {
        public override string ToString() => Name;
    }

    public static IEnumerable<Layer> Layers() =>
    [
        new("seed-lenet5 conv1 32x3x256x256 k5", 32, 3, 256, 256, 6, 5, 0),
        new("seed-lenet5 conv2 32x6x126x126 k5", 32, 6, 126, 126, 16, 5, 0),
        new("lenet5 conv1 64x1x28x28 k5 p2", 64, 1, 28, 28, 6, 5, 2),
    ];

    [ParamsSource(nameof(Layers))]
    public Layer L { get; set; } = null!;

    private Tensor<float> x = null!, w = null!, bias = null!;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        float[] Random(int n) => Enumerable.Range(0, n).Select(_ => (float)r.NextDouble() - 0.5f).ToArray();
        x = new Tensor<float>([L.Batch, L.C, L.H, L.W], Random(L.Batch * L.C * L.H * L.W));
        w = new Tensor<float>([L.O, L.C, L.K, L.K], Random(L.O * L.C * L.K * L.K));
        bias = new Tensor<float>([L.O], Random(L.O));
    }

    [Benchmark]
    public Tensor<float> Forward() => Conv2d.Apply(Node<float>.Input(x), Node<float>.Input(w), Node<float>.Input(bias), 1, L.Padding).Value;

    [Benchmark]
    public Tensor<float>? ForwardBackward()
    {
        var input = Node<float>.Input(x, requiresGrad: true);
        var weight = Node<float>.Parameter(w, "w");
        Sum.Apply(Conv2d.Apply(input, weight, Node<float>.Parameter(bias, "b"), 1, L.Padding)).Backprop();
        return weight.Grad;
    }
}
