using AutoGrad.Models.Data;
using AutoGrad.Tests.Models.Data;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tests.Models.Training;

/// <summary>Tiny data sets for training tests: two classes a network can tell apart (bright left half or bright right half).</summary>
internal static class SyntheticImages
{
    /// <summary>
    /// In-memory 1×28×28 samples alternating between the classes "left" (0) and "right" (1), with seeded noise;
    /// <paramref name="swapLabels"/> labels every image with the other class.
    /// </summary>
    public static ImageDataset Halves(string name, int count, int seed, bool swapLabels = false)
    {
        const int side = 28;
        var rng = new Random(seed);
        var pixels = new byte[count * side * side];
        var labels = new int[count];
        for (int i = 0; i < count; i++)
        {
            labels[i] = i % 2;
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                {
                    bool bright = (x < side / 2) == (labels[i] == 0);
                    pixels[i * side * side + y * side + x] = (byte)((bright ? 180 : 30) + rng.Next(40));
                }
        }
        if (swapLabels) labels = labels.Select(l => 1 - l).ToArray();
        return ImageDataset.FromBytes(name, ["left", "right"], 1, side, side, pixels, labels);
    }

    public static DataSplits HalvesSplits(int train = 32, int test = 8) =>
        new(Halves("halves/train", train, 1), null, Halves("halves/test", test, 2));

    /// <summary>
    /// Writes the report's list layout under <paramref name="files"/>' root: train.txt, val.txt, test.txt with lines
    /// <c>images/&lt;synset&gt;/&lt;file&gt;.JPEG &lt;label&gt;</c>, and small JPEGs (two synsets, <paramref name="perClass"/> per split).
    /// </summary>
    public static void WriteImageList(DataFixtures files, int perClass = 1)
    {
        string[] synsets = ["n01440764", "n02102040"];
        Rgb24[] colors = [new(200, 40, 40), new(40, 40, 200)];
        foreach (string split in new[] { "train", "val", "test" })
        {
            var lines = new List<string>();
            for (int label = 0; label < 2; label++)
                for (int i = 0; i < perClass; i++)
                {
                    string relative = $"images/{synsets[label]}/{split}_{i}.JPEG";
                    files.WriteHalves(relative, 24, 20, colors[label], colors[1 - label]);
                    lines.Add($"{relative} {label}");
                }
            files.WriteText($"{split}.txt", string.Join("\n", lines) + "\n");
        }
    }

    /// <summary>Writes class folders train/, test/ of 28×28 PNGs for the classes "left" and "right".</summary>
    public static void WriteClassFolders(DataFixtures files, int perClass)
    {
        var white = new Rgb24(230, 230, 230);
        var black = new Rgb24(20, 20, 20);
        foreach (string split in new[] { "train", "test" })
            for (int i = 0; i < perClass; i++)
            {
                files.WriteHalves($"{split}/left/{i}.png", 28, 28, white, black);
                files.WriteHalves($"{split}/right/{i}.png", 28, 28, black, white);
            }
    }
}
