using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>
/// residual → its parts in standard operators: Conv, BatchNormalization, Relu, Conv, BatchNormalization on the main
/// path; the input itself, or Conv + BatchNormalization (projection), on the shortcut; then Add and Relu. The parts
/// are emitted by the same mappings as the stand-alone layers, with their own names (res1.conv1, res1.bn1, …), so
/// the weights keep their checkpoint names.
/// </summary>
internal sealed class ResidualMapping : ILayerMapping
{
    private static readonly Conv2dMapping Conv = new();
    private static readonly BatchNormMapping Norm = new();

    public string Operators(int opset) => "Conv, BatchNormalization, Relu, Add";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        var block = (ResidualLayer<float>)layer;
        var (conv1, norm1, conv2, norm2) = block.Main;
        string main = Norm.Emit(norm1, Conv.Emit(conv1, input, graph), graph);
        main = graph.Node("Relu", $"{layer.Name}.relu1", [main]);
        main = Norm.Emit(norm2, Conv.Emit(conv2, main, graph), graph);
        string skip = block.Shortcut is { } s ? Norm.Emit(s.Norm, Conv.Emit(s.Conv, input, graph), graph) : input;
        string sum = graph.Node("Add", $"{layer.Name}.add", [main, skip]);
        return graph.Node("Relu", layer.Name, [sum]);
    }
}
