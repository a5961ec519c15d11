using System.Text.Json;
using AutoGrad.Cli;
using AutoGrad.Tests.Models.Data;
using SixLabors.ImageSharp.PixelFormats;

namespace AutoGrad.Tests.Models.Diagnostics;

public sealed class DoctorCliTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void BadInputIsOneLineError()
    {
        var (code, _, err) = Run("doctor", "--model", "no-such-model");
        Assert.Equal(1, code);
        Assert.StartsWith("error: --model: unknown model 'no-such-model'", err);
        Assert.Single(err.Trim().Split('\n'));
        (code, _, err) = Run("doctor", "--skip", "everything");
        Assert.Equal(1, code);
        Assert.Contains("--skip: unknown part 'everything'", err);
    }

    [Fact]
    public void UndecodableFilesAreAFindingNotACrash()
    {
        using var files = new DataFixtures();
        foreach (string split in new[] { "train", "test" })
            for (int k = 0; k < 2; k++)
                for (int i = 0; i < 3; i++) files.WriteSolid($"{split}/c{k}/{i}.png", 28, 28, new Rgb24((byte)(100 * k), 50, 50));
        files.WriteText("train/c0/broken.png", "not a png");
        var (code, output, _) = Run("doctor", "--data", files.Root, "--model", "lenet5", "--json");
        Assert.Equal(3, code);
        using var doc = JsonDocument.Parse(output);
        var first = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("undecodable-files", first.GetProperty("id").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Contains("broken.png", first.GetProperty("evidence").GetString());
    }

    [Fact]
    public void DataTheLoaderRefusesIsAJsonReportNotJustAnError()
    {
        using var files = new DataFixtures();
        foreach (string c in new[] { "n01", "n02" })
            for (int i = 0; i < 2; i++) files.WriteSolid($"images/{c}/{i}.png", 28, 28, new Rgb24(9, 9, 9));
        // Line 3 gives an n01 image the label of n02: the list contradicts its folders.
        files.WriteText("train.txt", "images/n01/0.png 0\nimages/n02/0.png 1\nimages/n01/1.png 1\n");
        files.WriteText("test.txt", "images/n01/1.png 0\nimages/n02/1.png 1\n");
        var (code, output, _) = Run("doctor", "--data", files.Root, "--model", "lenet5", "--json");
        Assert.Equal(3, code);
        using var doc = JsonDocument.Parse(output);
        var first = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("data-unloadable", first.GetProperty("id").GetString());
        Assert.Equal("error", first.GetProperty("severity").GetString());
        Assert.Contains("train.txt:3", first.GetProperty("evidence").GetString());
        Assert.False(string.IsNullOrWhiteSpace(first.GetProperty("fix").GetString()));
        Assert.Equal(["gradcheck", "health", "ladder"], doc.RootElement.GetProperty("not_run").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void TruncatedFilesAreCountedWithTheUndecodableOnes()
    {
        using var files = new DataFixtures();
        foreach (string split in new[] { "train", "test" })
            for (int k = 0; k < 2; k++)
                for (int i = 0; i < 3; i++) files.WriteSolid($"{split}/c{k}/{i}.png", 28, 28, new Rgb24((byte)(100 * k), 50, 50));
        byte[] jpeg = EncodedImages.Encode("jpeg", 64, 64, seed: 1);
        for (int i = 0; i < 5; i++) File.WriteAllBytes(files.PathOf($"train/c1/cut{i}.jpg"), jpeg[..(jpeg.Length * (i + 1) / 7)]);
        files.WriteText("train/c0/broken.png", "not a png");
        var (code, output, _) = Run("doctor", "--data", files.Root, "--model", "lenet5", "--json");
        Assert.Equal(3, code);
        using var doc = JsonDocument.Parse(output);
        var first = doc.RootElement.GetProperty("findings")[0];
        Assert.Equal("undecodable-files", first.GetProperty("id").GetString());
        Assert.StartsWith("6 of 18 image files cannot be read", first.GetProperty("message").GetString());
        Assert.Contains("truncated JPEG", first.GetProperty("evidence").GetString());
    }

    [Fact]
    public void GradcheckPrintsTheTable()
    {
        var (code, output, err) = Run("gradcheck", "--model", "two-layer-net", "--samples", "2");
        Assert.True(code == 0, err + output);
        Assert.Contains("fc1        linear", output);
        Assert.Contains("all probes pass", output);
    }
}
