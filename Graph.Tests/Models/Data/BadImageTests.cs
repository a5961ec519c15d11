using AutoGrad.Models.Data;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AutoGrad.Tests.Models.Data;

public sealed class BadImageTests : IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void EveryBadFileIsCountedAndTheFirstFewNamed()
    {
        files.WriteSolid("train/a/good.png", 5, 5, new Rgb24(1, 2, 3));
        for (int i = 0; i < 7; i++) files.WriteText($"train/a/bad{i}.jpg", "this is not a jpeg");
        byte[] png = File.ReadAllBytes(files.WriteSolid("train/b/ok.png", 40, 40, new Rgb24(9, 8, 7)));
        File.WriteAllBytes(files.PathOf("train/b/truncated.png"), png[..(png.Length / 2)]);
        files.WriteSolid("test/a/t.png", 5, 5, new Rgb24(1, 2, 3));
        Directory.CreateDirectory(files.PathOf("test/b"));

        var e = DataFixtures.AssertError(() => DatasetCatalog.Load(files.Root, 3, 4, 4, DataFixtures.Options()),
            "8 of 10 images could not be decoded", "bad0.jpg", "bad4.jpg", "and 3 more");
        Assert.DoesNotContain("bad5.jpg", e.Message);
    }

    [Fact]
    public void DecodeAllReportsEveryFailureInOrder()
    {
        string good = files.WriteSolid("g.png", 5, 5, new Rgb24(200, 0, 0));
        string bad1 = files.WriteText("x.png", "nope"), bad2 = files.WriteText("y.bmp", "nope");
        var set = new LabeledFiles("set", [bad1, good, bad2], [0, 0, 0]);
        using var store = ImageSetLoader.DecodeAll(set, 3, 2, 2, DataFixtures.Options(), out var failures);
        Assert.Equal([bad1, bad2], failures.Select(f => f.Path));
        Assert.All(failures, f => Assert.False(string.IsNullOrWhiteSpace(f.Reason)));
        Assert.Equal(200, store.Slot(1)[0]);
        Assert.All(store.Slot(0).ToArray(), v => Assert.Equal(0, v));
    }
}
