using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>swish → x·Sigmoid(x) (Mul, Sigmoid): no opset up to 22 has a Swish operator.</summary>
internal sealed class SwishMapping : ILayerMapping
{
    public string Operators(int opset) => "Sigmoid, Mul";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        string sigmoid = graph.Node("Sigmoid", $"{layer.Name}.sigmoid", [input]);
        return graph.Node("Mul", layer.Name, [input, sigmoid]);
    }
}
