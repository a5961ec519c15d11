using System.Buffers.Binary;
using AutoGrad.Models.Reporting;
using AutoGrad.Tests.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.Reporting;

public class TrainingPlotsTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private static List<EpochMetrics> Rows(int epochs) =>
        Enumerable.Range(1, epochs).Select(e => new EpochMetrics(
            e, 2.0 / e, 1 - 0.8 / e, e % 3 == 0 ? null : 2.2 / e, e % 3 == 0 ? null : 1 - 0.9 / e, 0.01, 5)).ToList();

    [Fact]
    public void SaveLoss_WritesPngWithStepsAndEpochs()
    {
        using var folder = new TempFolder();
        string path = folder.File("loss.png");
        var steps = Enumerable.Range(0, 80).Select(i => 2.5 * Math.Exp(-i / 30.0) + 0.1 * Math.Sin(i)).ToList();
        steps[5] = double.NaN; // a diverged step must not break the plot
        TrainingPlots.SaveLoss(path, Rows(8), steps);
        AssertPng(path, 800, 500);
        Assert.Equal(new[] { "loss.png" }, folder.FileNames());
    }

    [Fact]
    public void SaveAccuracy_WritesPng_EvenForOneEpochWithoutValidation()
    {
        using var folder = new TempFolder();
        TrainingPlots.SaveAccuracy(folder.File("accuracy.png"), Rows(10));
        AssertPng(folder.File("accuracy.png"), 800, 500);
        TrainingPlots.SaveAccuracy(folder.File("one.png"), [new EpochMetrics(1, 1, 0.5, null, null, 0.1, 1)]);
        AssertPng(folder.File("one.png"), 800, 500);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(30)]
    public void SaveConfusion_WritesPng(int classes)
    {
        using var folder = new TempFolder();
        var random = new Random(classes);
        int[] truth = Enumerable.Range(0, 50 * classes).Select(i => i % classes).ToArray();
        int[] predicted = truth.Select(t => random.NextDouble() < 0.7 ? t : random.Next(classes)).ToArray();
        var names = Enumerable.Range(0, classes).Select(i => $"class {i}").ToList();
        string path = folder.File("confusion.png");
        TrainingPlots.SaveConfusion(path, ConfusionMatrix.Create(classes, truth, predicted), names);
        AssertPng(path, 0, 0);
    }

    [Fact]
    public void Plots_RejectBadInputNamingTheFile()
    {
        using var folder = new TempFolder();
        var error = Assert.Throws<AutoGradException>(() => TrainingPlots.SaveLoss(folder.File("loss.jpg"), Rows(2)));
        Assert.Contains("loss.jpg", error.Message);
        error = Assert.Throws<AutoGradException>(() => TrainingPlots.SaveAccuracy(folder.File("acc.png"), []));
        Assert.Contains("acc.png", error.Message);
        error = Assert.Throws<AutoGradException>(() => TrainingPlots.SaveConfusion(folder.File("c.png"), new int[2, 2], ["a"]));
        Assert.Contains("c.png", error.Message);
        Assert.Empty(folder.FileNames());
    }

    /// <summary>Checks the PNG signature, a non-trivial size and, if given, the IHDR width and height.</summary>
    private static void AssertPng(string path, int width, int height)
    {
        byte[] bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 5_000, $"{path} is only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(bytes, 12, 4));
        if (width > 0)
        {
            Assert.Equal(width, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            Assert.Equal(height, BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20)));
        }
    }
}
