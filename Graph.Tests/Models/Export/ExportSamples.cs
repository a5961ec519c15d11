using AutoGrad.Models.Data;
using AutoGrad.Models.IO;
using AutoGrad.Tests.Models.Data;

namespace AutoGrad.Tests.Models.Export;

/// <summary>Real images from the embedded fashion-mnist-mini test split, in a model's input size, and the float inputs an exported model takes.</summary>
public static class ExportSamples
{
    private static readonly Lazy<(byte[] Pixels, string[] Classes)> Test = new(() =>
    {
        using var splits = DatasetCatalog.Load(DatasetCatalog.FashionMnistMini, 1, 28, 28, DataFixtures.Options());
        var pixels = new byte[16 * 784];
        for (int i = 0; i < 16; i++) splits.Test.Sample(i).CopyTo(pixels.AsSpan(i * 784));
        return (pixels, splits.Test.Classes.ToArray());
    });

    public static IReadOnlyList<string> Classes => Test.Value.Classes;

    /// <summary>
    /// <paramref name="count"/> test images from <paramref name="first"/> on, as CHW bytes of [C, H, W] laid end to end:
    /// converted and resized exactly as training converts a grayscale image to a model's channels and size.
    /// </summary>
    public static byte[] Images(int[] input, int first, int count)
    {
        int c = input.Length == 3 ? input[0] : 1, h = input.Length == 3 ? input[1] : 28, w = input.Length == 3 ? input[2] : input[0] / 28;
        if (input.Length == 1 && input[0] != 784) throw new ArgumentException("flat inputs must be 784 features");
        var config = ImageConverter.CreateConfiguration();
        int size = c * h * w;
        var images = new byte[count * size];
        for (int i = 0; i < count; i++)
            ImageConverter.ConvertGray(Test.Value.Pixels.AsSpan((first + i) * 784, 784), 28, 28, c, h, w, config, images.AsSpan(i * size, size));
        return images;
    }

    /// <summary>
    /// The float input an exported model takes: with the normalisation folded into the graph, pixel/255; without,
    /// the normalised values the library feeds its own forward pass.
    /// </summary>
    public static float[] Input(Checkpoint checkpoint, byte[] images, bool includeNormalization)
    {
        var result = new float[images.Length];
        if (includeNormalization)
        {
            for (int i = 0; i < images.Length; i++) result[i] = images[i] / 255f;
            return result;
        }
        int size = Shapes.Size(checkpoint.Model.InputShape);
        for (int i = 0; i < images.Length / size; i++)
            checkpoint.Normalization.Apply(images.AsSpan(i * size, size), checkpoint.Model.Spec.Channels, result.AsSpan(i * size, size));
        return result;
    }
}
