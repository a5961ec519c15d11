using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>
/// gelu → the tanh form our Gelu computes, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): from opset 20 the Gelu
/// operator with approximate = "tanh", before it the same formula in Mul, Add and Tanh. Not the erf form: that is
/// a different function (up to ~1e-3 apart), and the export must compute what the network was trained with.
/// </summary>
internal sealed class GeluMapping : ILayerMapping
{
    public const int GeluOpset = 20;

    public string Operators(int opset) => opset >= GeluOpset ? "Gelu (approximate = tanh)" : "Mul, Add, Tanh";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        string name = layer.Name;
        if (graph.Opset >= GeluOpset) return graph.Node("Gelu", name, [input], OnnxGraphBuilder.String("approximate", "tanh"));
        // The constants are the float32 values of those in Ops/Activations/Gelu.cs.
        string c = graph.Scalar($"{name}.c", 0.044715f), k = graph.Scalar($"{name}.k", (float)Math.Sqrt(2.0 / Math.PI));
        string half = graph.Scalar($"{name}.half", 0.5f), one = graph.Scalar($"{name}.one", 1f);
        string square = graph.Node("Mul", $"{name}.x2", [input, input]);
        string cube = graph.Node("Mul", $"{name}.x3", [square, input]);
        string inner = graph.Node("Add", $"{name}.inner", [input, graph.Node("Mul", $"{name}.cx3", [c, cube])]);
        string t = graph.Node("Tanh", $"{name}.tanh", [graph.Node("Mul", $"{name}.u", [k, inner])]);
        string halfX = graph.Node("Mul", $"{name}.halfx", [half, input]);
        return graph.Node("Mul", name, [halfX, graph.Node("Add", $"{name}.onetanh", [one, t])]);
    }
}
