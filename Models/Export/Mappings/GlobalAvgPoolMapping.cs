using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>global_avg_pool2d → GlobalAveragePool ([N, C, 1, 1]) then Flatten: ours outputs [N, C].</summary>
internal sealed class GlobalAvgPoolMapping : ILayerMapping
{
    public string Operators(int opset) => "GlobalAveragePool, Flatten";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        string pooled = graph.Node("GlobalAveragePool", $"{layer.Name}.pool", [input]);
        return graph.Node("Flatten", layer.Name, [pooled], OnnxGraphBuilder.Int("axis", 1));
    }
}
