using AutoGrad.Models.Specs;
using AutoGrad.Models.Training;
using AutoGrad.Tests.Models.Data;
using AutoGrad.Tests.Reliability;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tests.Cli;

/// <summary>Truncated images and a model too large for memory, as the commands meet them.</summary>
[Trait("Category", "Slow")]
public sealed class DamagedDataCliTests(TrainedRunFixture run) : IClassFixture<TrainedRunFixture>, IDisposable
{
    private readonly DataFixtures files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void PredictRefusesATruncatedJpegNamingIt()
    {
        byte[] jpeg = EncodedImages.Encode("jpeg", 56, 56, seed: 2);
        string path = files.PathOf("third.jpg");
        File.WriteAllBytes(path, jpeg[..(jpeg.Length / 3)]);
        Cli.Fails(["predict", "-c", run.RunFolder, path], path, "truncated JPEG");
    }

    private string[] FolderWithTruncatedJpeg()
    {
        foreach (var split in new[] { "train", "test" })
            foreach (var c in new[] { "a", "b" })
                for (int i = 0; i < 2; i++) files.WriteSolid($"data/{split}/{c}/{i}.png", 28, 28, new Rgb24((byte)(c == "a" ? 30 : 220), 0, 0));
        byte[] jpeg = EncodedImages.Encode("jpeg", 28, 28, seed: 4);
        File.WriteAllBytes(files.PathOf("data/train/a/cut.jpg"), jpeg[..^2]);   // only the end-of-image marker missing
        return ["train", "--data", files.PathOf("data"), "--model", "lenet5", "--epochs", "1", "--batch", "4", "--threads", "1"];
    }

    [Fact]
    public void TrainStopsOnATruncatedJpegOrSkipsItAndListsIt()
    {
        var args = FolderWithTruncatedJpeg();
        Cli.Fails([.. args, "--out", files.PathOf("stop")], "1 of 5 images could not be decoded", "cut.jpg", "truncated JPEG");
        Assert.False(Directory.Exists(files.PathOf("stop")));
        var r = Cli.Succeeds([.. args, "--on-bad-image", "skip", "--out", files.PathOf("skip")]);
        Assert.Contains("skipped 1 images", r.Output);
        string listed = File.ReadAllText(Path.Combine(files.PathOf("skip"), RunFolder.SkippedImages));
        Assert.Contains("cut.jpg: truncated JPEG", listed);
    }

    [Fact]
    public void TrainRefusesAModelTooLargeBeforeDecodingAnything()
    {
        // Garbage images: a decode before the check would fail on them instead.
        foreach (string split in new[] { "train", "test" })
            for (int k = 0; k < 2; k++) files.WriteText($"junk/{split}/c{k}/x.png", "not an image");
        string spec = files.WriteText("huge.json", SpecJson.Write(MemoryCheckTests.Huge()));
        var r = Cli.Fails(["train", "--data", files.PathOf("junk"), "--model", spec, "--out", files.PathOf("huge-run")],
            "parameters 21.", "gradients", "momentum state", "activations", "use a smaller model");
        Assert.DoesNotContain("decoded", r.Error);
        Assert.False(Directory.Exists(files.PathOf("huge-run")));
    }
}
