using AutoGrad.Models.Layers;
using AutoGrad.Ops;

namespace AutoGrad.Models.Inspection;

/// <summary>Records a model's forward pass (plus its loss) on a zero batch as a graph, for listing and DOT export.</summary>
public static class ModelGraph
{
    public static CapturedGraph<float> Capture(Model<float> model, int batch = 1, bool withLoss = true)
    {
        var input = Node<float>.Input(new Tensor<float>([batch, .. model.InputShape]), "images");
        var logits = model.Forward(input, new ForwardContext(training: true, new Random(0)));
        var output = withLoss ? SoftmaxCrossEntropy.Apply(logits, new int[batch]) : logits;
        if (withLoss) output.Name = "loss";
        return CapturedGraph<float>.FromOutputs(output);
    }
}
