using System.Text.Json;
using AutoGrad.Models.Reporting;
using AutoGrad.Tests.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.Reporting;

public class MetricsWriterTests
{
    private static readonly EpochMetrics[] Rows =
    [
        new(1, 2.3025, 0.1, 2.0, 0.25, 0.01, 12.5),
        new(2, 1.5, 0.5, null, null, 0.005, 11),
        new(3, double.NaN, 0.125, double.PositiveInfinity, 0.5, 1e-4, 10.25),
    ];

    [Fact]
    public void WriteCsv_WritesHeaderAndInvariantRows()
    {
        using var folder = new TempFolder();
        string path = folder.File("metrics.csv");
        MetricsWriter.WriteCsv(path, Rows);
        Assert.Equal(
            "epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,seconds\n" +
            "1,2.3025,0.1,2,0.25,0.01,12.5\n" +
            "2,1.5,0.5,,,0.005,11\n" +
            "3,NaN,0.125,Infinity,0.5,0.0001,10.25\n",
            File.ReadAllText(path));
        Assert.Equal(new[] { "metrics.csv" }, folder.FileNames());
    }

    [Fact]
    public void WriteJson_UsesSnakeCaseKeysAndNulls()
    {
        using var folder = new TempFolder();
        string path = folder.File("metrics.json");
        MetricsWriter.WriteJson(path, Rows);
        using JsonDocument document = JsonDocument.Parse(File.ReadAllText(path));
        JsonElement[] rows = document.RootElement.EnumerateArray().ToArray();
        Assert.Equal(3, rows.Length);
        Assert.Equal(
            new[] { "epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds" },
            rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(0.25, rows[0].GetProperty("val_accuracy").GetDouble());
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("val_loss").ValueKind);
        Assert.Equal("NaN", rows[2].GetProperty("train_loss").GetString());
    }

    [Fact]
    public void ReadJson_RoundTripsWhatWriteJsonWrote()
    {
        using var folder = new TempFolder();
        string path = folder.File("metrics.json");
        MetricsWriter.WriteJson(path, Rows);
        Assert.Equal(Rows, MetricsWriter.ReadJson(path));
        MetricsWriter.WriteJson(path, []);
        Assert.Empty(MetricsWriter.ReadJson(path));
    }

    [Theory]
    [InlineData("{}", "array")]
    [InlineData("[1]", "row 0")]
    [InlineData("[{\"epoch\": 1}]", "train_loss")]
    [InlineData("[{\"epoch\": \"1\", \"train_loss\": 1, \"train_accuracy\": 1, \"lr\": 1, \"seconds\": 1}]", "epoch")]
    [InlineData("[{\"epoch\": 1, \"train_loss\": true, \"train_accuracy\": 1, \"lr\": 1, \"seconds\": 1}]", "train_loss")]
    [InlineData("[{\"epoch\": 1,", "JSON")]
    public void ReadJson_RejectsBadFilesNamingTheFile(string json, string expected)
    {
        using var folder = new TempFolder();
        string path = folder.File("resume.json");
        File.WriteAllText(path, json);
        var error = Assert.Throws<AutoGradException>(() => MetricsWriter.ReadJson(path));
        Assert.Contains("resume.json", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ReadJson_IgnoresUnknownKeysAndAcceptsMissingValidation()
    {
        using var folder = new TempFolder();
        string path = folder.File("m.json");
        File.WriteAllText(path, "[{\"epoch\": 4, \"train_loss\": 0.5, \"train_accuracy\": 0.9, \"lr\": 0.1, \"seconds\": 3, \"gpu\": \"none\"}]");
        Assert.Equal(new EpochMetrics(4, 0.5, 0.9, null, null, 0.1, 3), Assert.Single(MetricsWriter.ReadJson(path)));
    }
}
