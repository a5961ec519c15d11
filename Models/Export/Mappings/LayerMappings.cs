using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>The table from layer type to its ONNX form: the one place that says which layers can be exported.</summary>
internal static class LayerMappings
{
    public static readonly IReadOnlyDictionary<string, ILayerMapping> ByType = new Dictionary<string, ILayerMapping>
    {
        [LayerTypes.Conv2d] = new Conv2dMapping(),
        [LayerTypes.Linear] = new LinearMapping(),
        [LayerTypes.MaxPool2d] = new PoolMapping("MaxPool"),
        [LayerTypes.AvgPool2d] = new PoolMapping("AveragePool"),
        [LayerTypes.GlobalAvgPool2d] = new GlobalAvgPoolMapping(),
        [LayerTypes.BatchNorm2d] = new BatchNormMapping(),
        [LayerTypes.Dropout] = new DropoutMapping(),
        [LayerTypes.Flatten] = new FlattenMapping(),
        [LayerTypes.Residual] = new ResidualMapping(),
        ["relu"] = new ActivationMapping("Relu"),
        ["sigmoid"] = new ActivationMapping("Sigmoid"),
        ["tanh"] = new ActivationMapping("Tanh"),
        ["leaky_relu"] = new LeakyReluMapping(),
        ["swish"] = new SwishMapping(),
        ["gelu"] = new GeluMapping(),
    };

    /// <summary>The mapping for <paramref name="layer"/>, or a one-line error naming the layer and its op.</summary>
    public static ILayerMapping For(Layer<float> layer) =>
        ByType.TryGetValue(layer.Type, out var mapping) ? mapping
            : throw new AutoGradException($"layer {layer.Name}: op '{layer.Type}' has no ONNX form (exportable ops: {string.Join(", ", ByType.Keys)})");
}
