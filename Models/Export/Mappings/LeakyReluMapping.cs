using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>leaky_relu → LeakyRelu with alpha = the layer's negative slope.</summary>
internal sealed class LeakyReluMapping : ILayerMapping
{
    public string Operators(int opset) => "LeakyRelu";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph) =>
        graph.Node("LeakyRelu", layer.Name, [input], OnnxGraphBuilder.Float("alpha", (float)((ActivationLayer<float>)layer).Slope));
}
