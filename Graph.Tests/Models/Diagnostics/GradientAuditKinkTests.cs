using AutoGrad.Tests.Models.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using CliRunner = AutoGrad.Tests.Cli.Cli;

namespace AutoGrad.Tests.Models.Diagnostics;

/// <summary>
/// Regression: the report's improved LeNet-5 on small noisy photos upscaled to 254×254 (bytes, so plateaus and
/// exact ties) gave max-pool windows near-ties by the thousand; a probe direction over all 760,000 pool inputs
/// crossed some on every draw and `gradcheck` reported a correct max_pool2d as FAIL. Probes now move a few
/// hundred coordinates.
/// </summary>
[Trait("Category", "Slow")]
public class GradientAuditKinkTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void SeedModelOnUpscaledNoisyPhotosPassesTheAudit()
    {
        var rng = new Random(0);
        foreach (var (split, count) in new[] { ("train", 4), ("test", 2) })
            foreach (var (name, grey) in new[] { ("cat", 60), ("dog", 190) })
                for (int i = 0; i < count; i++)
                {
                    using var image = new Image<Rgb24>(64, 64);
                    for (int y = 0; y < 64; y++)
                        for (int x = 0; x < 64; x++)
                            image[x, y] = new Rgb24((byte)(grey + rng.Next(-30, 31)), (byte)(grey + rng.Next(-30, 31)), (byte)(grey + rng.Next(-30, 31)));
                    string path = files.PathOf($"photos/{split}/{name}/{i}.png");
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    image.SaveAsPng(path);
                }
        var r = CliRunner.Run("gradcheck", "--model", "seed-lenet5-improved", "--data", files.PathOf("photos"), "--samples", "2");
        Assert.True(r.ExitCode == 0, r.Output + r.Error);
        var pools = r.Output.Split('\n').Where(l => l.Contains("max_pool2d")).ToList();
        Assert.Equal(3, pools.Count);
        Assert.All(pools, l => Assert.Contains(" pass", l));
        Assert.DoesNotContain("FAIL", r.Output);
    }
}
