using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>conv2d → Conv (weight [out, in, k, k] as PyTorch and ONNX lay it out; symmetric padding; bias optional).</summary>
internal sealed class Conv2dMapping : ILayerMapping
{
    public string Operators(int opset) => "Conv";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        var conv = (Conv2dLayer<float>)layer;
        var w = conv.Weight;
        List<string> inputs = [input, graph.Initializer($"{layer.Name}.weight", w.Shape, w.Data)];
        if (conv.Bias is { } b) inputs.Add(graph.Initializer($"{layer.Name}.bias", b.Shape, b.Data));
        int p = conv.Padding, s = conv.Stride;
        return graph.Node("Conv", layer.Name, inputs,
            OnnxGraphBuilder.Ints("kernel_shape", w.Shape[2], w.Shape[3]),
            OnnxGraphBuilder.Ints("strides", s, s),
            OnnxGraphBuilder.Ints("pads", p, p, p, p));
    }
}
