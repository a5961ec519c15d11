using AutoGrad.Tests.Models.Data;

namespace AutoGrad.Tests.Reliability;

/// <summary>A small learnable IDX data set (bright vs dark vs striped 28×28 images) in a temp folder.</summary>
public sealed class TinyRun : IDisposable
{
    public TinyRun(int train = 3000, int test = 200)
    {
        Files = new DataFixtures();
        var rng = new Random(5);
        Write("train", train, rng);
        Write("t10k", test, rng);
    }

    public DataFixtures Files { get; }
    public string Data => Files.PathOf("idx");
    public string Out(string name) => Files.PathOf(name);

    private void Write(string stem, int count, Random rng)
    {
        var images = new byte[count][];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = rng.Next(3);
            labels[i] = (byte)label;
            images[i] = new byte[28 * 28];
            for (int p = 0; p < images[i].Length; p++)
            {
                int baseValue = label switch { 0 => 40, 1 => 200, _ => (p / 28) % 4 < 2 ? 30 : 220 };
                images[i][p] = (byte)Math.Clamp(baseValue + rng.Next(-30, 31), 0, 255);
            }
        }
        Files.WriteIdx("idx", stem, images, 28, 28, labels, gzip: false);
    }

    public void Dispose() => Files.Dispose();
}
