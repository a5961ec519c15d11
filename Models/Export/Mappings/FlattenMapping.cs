using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>flatten → Flatten(axis 1): [N, C, H, W] → [N, C·H·W] in row-major order, as ours and PyTorch.</summary>
internal sealed class FlattenMapping : ILayerMapping
{
    public string Operators(int opset) => "Flatten";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph) =>
        graph.Node("Flatten", layer.Name, [input], OnnxGraphBuilder.Int("axis", 1));
}
