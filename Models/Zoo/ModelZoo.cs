using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Zoo;

/// <summary>
/// The built-in networks, declared as data. The report's three models are reproduced exactly (so their
/// failure can be studied); <c>lenet5</c> and <c>lenet5-plus</c> are the ones to train.
/// </summary>
public static class ModelZoo
{
    private static LayerSpec L(string type, int? @out = null, int? kernel = null, int? stride = null, int? padding = null, double? p = null) =>
        new() { Type = type, Out = @out, Kernel = kernel, Stride = stride, Padding = padding, P = p };

    private const int Classes = LayerSpec.Classes;

    public static readonly IReadOnlyList<ModelSpec> All =
    [
        new()
        {
            Name = "lenet5", Description = "Classic LeNet-5 for 1×28×28 input (padding 2 on conv1), ReLU and max-pooling",
            Input = [1, 28, 28],
            Layers = [L("conv2d", 6, 5, padding: 2), L("relu"), L("max_pool2d", kernel: 2), L("conv2d", 16, 5), L("relu"), L("max_pool2d", kernel: 2),
                      L("flatten"), L("linear", 120), L("relu"), L("linear", 84), L("relu"), L("linear", Classes)],
        },
        new()
        {
            Name = "lenet5-plus", Description = "Stronger LeNet for 1×28×28: two pairs of 3×3 convs (16, 32) with BatchNorm, max-pooling, dropout, FC 128",
            Input = [1, 28, 28],
            Layers = [L("conv2d", 16, 3, padding: 1), L("batch_norm2d"), L("relu"), L("conv2d", 16, 3, padding: 1), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("conv2d", 32, 3, padding: 1), L("batch_norm2d"), L("relu"), L("conv2d", 32, 3, padding: 1), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("flatten"), L("dropout", p: 0.3), L("linear", 128), L("relu"), L("dropout", p: 0.3), L("linear", Classes)],
        },
        new()
        {
            Name = "lenet5-wide", Description = "lenet5-plus at 1.5× width for 1×28×28: 3×3 convs 24, 24 then 48, 48 with BatchNorm, max-pooling, dropout, FC 128",
            Input = [1, 28, 28],
            Layers = [L("conv2d", 24, 3, padding: 1), L("batch_norm2d"), L("relu"), L("conv2d", 24, 3, padding: 1), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("conv2d", 48, 3, padding: 1), L("batch_norm2d"), L("relu"), L("conv2d", 48, 3, padding: 1), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("flatten"), L("dropout", p: 0.3), L("linear", 128), L("relu"), L("dropout", p: 0.3), L("linear", Classes)],
        },
        new()
        {
            Name = "lenet5-wide-nodrop", Description = "lenet5-wide without its two dropout layers, for training with random crops (the Fashion-MNIST recipe): the crops regularise instead",
            Input = [1, 28, 28],
            Layers = [L("conv2d", 24, 3, padding: 1), L("batch_norm2d"), L("relu"), L("conv2d", 24, 3, padding: 1), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("conv2d", 48, 3, padding: 1), L("batch_norm2d"), L("relu"), L("conv2d", 48, 3, padding: 1), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("flatten"), L("linear", 128), L("relu"), L("linear", Classes)],
        },
        new()
        {
            Name = "two-layer-net", Description = "The report's Two Layer Net: flatten → FC 256 (ReLU) → FC classes",
            Input = [1, 28, 28],
            Layers = [L("flatten"), L("linear", 256), L("relu"), L("linear", Classes)],
        },
        new()
        {
            Name = "seed-lenet5", Description = "The report's LeNet5 on 3×256×256: conv5→6, ReLU, pool, conv5→16, ReLU, pool, FC 1200, FC 840 (FC1 has 16·61·61 inputs)",
            Input = [3, 256, 256],
            Layers = [L("conv2d", 6, 5), L("relu"), L("max_pool2d", kernel: 2), L("conv2d", 16, 5), L("relu"), L("max_pool2d", kernel: 2),
                      L("flatten"), L("linear", 1200), L("relu"), L("linear", 840), L("relu"), L("linear", Classes)],
        },
        new()
        {
            Name = "seed-lenet5-improved", Description = "The report's improved LeNet5 on 3×254×254: three 3×3 convs (6, 16, 26) each with Swish and max-pool, FC 1200, FC 840, Swish",
            Input = [3, 254, 254],
            Layers = [L("conv2d", 6, 3), L("swish"), L("max_pool2d", kernel: 2), L("conv2d", 16, 3), L("swish"), L("max_pool2d", kernel: 2),
                      L("conv2d", 26, 3), L("swish"), L("max_pool2d", kernel: 2),
                      L("flatten"), L("linear", 1200), L("swish"), L("linear", 840), L("swish"), L("linear", Classes)],
        },
        new()
        {
            Name = "photo-net", Description = "Small ResNet for 3×128×128 photos: stride-2 5×5 stem (32) with BatchNorm and max-pool, residual blocks 32, 64/2, 128/2, 256/2, global average pooling, dropout, FC classes",
            Input = [3, 128, 128],
            Layers = [L("conv2d", 32, 5, stride: 2, padding: 2), L("batch_norm2d"), L("relu"), L("max_pool2d", kernel: 2),
                      L("residual", 32), L("residual", 64, stride: 2), L("residual", 128, stride: 2), L("residual", 256, stride: 2),
                      L("global_avg_pool2d"), L("dropout", p: 0.2), L("linear", Classes)],
        },
    ];

    public static IEnumerable<string> Names => All.Select(s => s.Name);

    public static bool TryGet(string name, out ModelSpec spec)
    {
        spec = All.FirstOrDefault(s => s.Name == name)!;
        return spec is not null;
    }

    /// <summary>A zoo name or a path to a JSON spec file.</summary>
    public static ModelSpec Resolve(string nameOrPath)
    {
        if (TryGet(nameOrPath, out var spec)) return spec;
        if (nameOrPath.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || File.Exists(nameOrPath)) return SpecJson.ReadFile(nameOrPath);
        throw new AutoGradException($"`Model`: unknown model '{nameOrPath}' (expected one of {string.Join(", ", Names)}, or a .json spec file)");
    }
}
