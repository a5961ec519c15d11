using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>
/// batch_norm2d → BatchNormalization in inference form: y = γ·(x − running_mean)/√(running_var + ε) + β, the
/// formula our evaluation mode uses, with the layer's ε. The running variance is the unbiased one, as PyTorch exports it.
/// </summary>
internal sealed class BatchNormMapping : ILayerMapping
{
    public string Operators(int opset) => "BatchNormalization";

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        var bn = (BatchNormLayer<float>)layer;
        int[] shape = [bn.State.Channels];
        string gamma = graph.Initializer($"{layer.Name}.weight", shape, bn.Gamma.Data);
        string beta = graph.Initializer($"{layer.Name}.bias", shape, bn.Beta.Data);
        string mean = graph.Initializer($"{layer.Name}.running_mean", shape, bn.State.RunningMean.Data);
        string variance = graph.Initializer($"{layer.Name}.running_var", shape, bn.State.RunningVar.Data);
        return graph.Node("BatchNormalization", layer.Name, [input, gamma, beta, mean, variance],
            OnnxGraphBuilder.Float("epsilon", (float)bn.State.Epsilon));
    }
}
