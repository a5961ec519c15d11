using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Ops;

namespace AutoGrad.Models.Inspection;

/// <summary>One class and its probability.</summary>
public sealed record Prediction(string Class, int Index, double Probability);

/// <summary>Classifies image files with a checkpoint: decode, convert and resize as in training, normalise with the checkpoint's statistics, softmax.</summary>
public static class Predictor
{
    public static IReadOnlyList<Prediction> Predict(Checkpoint checkpoint, string imagePath, int top = 5)
    {
        var spec = checkpoint.Model.Spec;
        var pixels = new byte[spec.Channels * spec.Height * spec.Width];
        ImageConverter.DecodeFile(imagePath, spec.Channels, spec.Height, spec.Width, ImageConverter.CreateConfiguration(), pixels);
        return Predict(checkpoint, pixels, top);
    }

    /// <summary>Classifies one already decoded CHW byte image of the model's input size.</summary>
    public static IReadOnlyList<Prediction> Predict(Checkpoint checkpoint, ReadOnlySpan<byte> chw, int top = 5)
    {
        var model = checkpoint.Model;
        var input = new Tensor<float>([1, .. model.InputShape]);
        checkpoint.Normalization.Apply(chw, model.Spec.Channels, input.Data);
        using var _ = GradMode.NoGrad();
        var probs = Softmax.Apply(model.Forward(Node<float>.Input(input), new ForwardContext(training: false))).Value.Data;
        return probs.Select((p, i) => new Prediction(checkpoint.Classes[i], i, p))
            .OrderByDescending(p => p.Probability).ThenBy(p => p.Index).Take(Math.Max(1, top)).ToList();
    }
}
