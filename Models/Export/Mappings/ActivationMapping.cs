using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>relu → Relu, sigmoid → Sigmoid, tanh → Tanh: one standard operator each, no attributes.</summary>
internal sealed class ActivationMapping(string opType) : ILayerMapping
{
    public string Operators(int opset) => opType;

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph) => graph.Node(opType, layer.Name, [input]);
}
