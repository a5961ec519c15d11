using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>The ONNX form of one layer kind: the standard operators that compute its evaluation-mode forward pass.</summary>
internal interface ILayerMapping
{
    /// <summary>The ai.onnx operators emitted at <paramref name="opset"/>, for documentation.</summary>
    string Operators(int opset);

    /// <summary>Adds the layer's nodes and weights to <paramref name="graph"/>; returns the name of its output value.</summary>
    string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph);
}
