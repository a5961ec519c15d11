using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>linear → Gemm with transB = 1: y = x·Wᵀ + b, W kept in its [out, in] layout.</summary>
internal sealed class LinearMapping : ILayerMapping
{
    public string Operators(int opset) => "Gemm";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        var linear = (LinearLayer<float>)layer;
        List<string> inputs = [input, graph.Initializer($"{layer.Name}.weight", linear.Weight.Shape, linear.Weight.Data)];
        if (linear.Bias is { } b) inputs.Add(graph.Initializer($"{layer.Name}.bias", b.Shape, b.Data));
        return graph.Node("Gemm", layer.Name, inputs, OnnxGraphBuilder.Int("transB", 1));
    }
}
