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
        var logits = Logits(checkpoint, chw);
        using var _ = GradMode.NoGrad();
        var probs = Softmax.Apply(Node<float>.Input(logits)).Value.Data;
        return probs.Select((p, i) => new Prediction(checkpoint.Classes[i], i, p))
            .OrderByDescending(p => p.Probability).ThenBy(p => p.Index).Take(Math.Max(1, top)).ToList();
    }

    /// <summary>
    /// The logits [N, classes] of N decoded CHW byte images laid end to end: each normalised with the checkpoint's
    /// statistics, then the model's forward pass in evaluation mode (what <see cref="Predict(Checkpoint, ReadOnlySpan{byte}, int)"/> turns into probabilities).
    /// </summary>
    public static Tensor<float> Logits(Checkpoint checkpoint, ReadOnlySpan<byte> images)
    {
        var model = checkpoint.Model;
        int size = Shapes.Size(model.InputShape);
        if (images.Length == 0 || images.Length % size != 0)
            throw new AutoGradException($"predict: {images.Length} bytes are not a whole number of {Shapes.Format(model.InputShape)} images");
        int n = images.Length / size;
        var input = new Tensor<float>([n, .. model.InputShape]);
        for (int i = 0; i < n; i++)
            checkpoint.Normalization.Apply(images.Slice(i * size, size), model.Spec.Channels, input.Data.AsSpan(i * size, size));
        using var _ = GradMode.NoGrad();
        return model.Forward(Node<float>.Input(input), new ForwardContext(training: false)).Value;
    }
}
