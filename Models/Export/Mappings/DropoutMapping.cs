using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>dropout → nothing: inverted dropout is the identity in inference, so the layer emits no node.</summary>
internal sealed class DropoutMapping : ILayerMapping
{
    public string Operators(int opset) => "(none)";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph) => input;
}
