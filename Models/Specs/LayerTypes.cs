namespace AutoGrad.Models.Specs;

/// <summary>The layer type names a spec may use.</summary>
public static class LayerTypes
{
    public const string Linear = "linear", Conv2d = "conv2d", MaxPool2d = "max_pool2d", AvgPool2d = "avg_pool2d",
        GlobalAvgPool2d = "global_avg_pool2d", BatchNorm2d = "batch_norm2d", Dropout = "dropout", Flatten = "flatten",
        Residual = "residual";

    public static readonly IReadOnlyList<string> Activations = ["relu", "leaky_relu", "sigmoid", "tanh", "swish", "gelu"];

    public static readonly IReadOnlySet<string> All = new HashSet<string>(
        [Linear, Conv2d, MaxPool2d, AvgPool2d, GlobalAvgPool2d, BatchNorm2d, Dropout, Flatten, Residual, .. Activations]);
}
