using System.Text.Json;
using AutoGrad.Models.Training;
using AutoGrad.Tests.Models.Data;
using AutoGrad.Tests.Models.Training;

namespace AutoGrad.Tests.Cli;

/// <summary>`train --config`, `--early-stop`, `--ema` and `lr-find` from the command line.</summary>
[Trait("Category", "Slow")]
public sealed class ConfigCommandTests : IDisposable
{
    private readonly DataFixtures files = new();

    public ConfigCommandTests() => SyntheticImages.WriteClassFolders(files, perClass: 4);

    public void Dispose() => files.Dispose();

    private string Config(string json)
    {
        string path = files.PathOf("run.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void FileSetsOptionsFlagsOverrideThemAndTheRunFolderRecordsTheResult()
    {
        string config = Config($$"""
            { "model": "two-layer-net", "data": {{JsonSerializer.Serialize(files.Root)}}, "epochs": 3, "batchSize": 4,
              "optimizer": "adam", "learningRate": 0.002, "schedule": "constant", "ema": 0.9, "earlyStop": 5 }
            """);
        string run = files.PathOf("run");
        var r = Cli.Succeeds("train", "--config", config, "--epochs", "2", "--threads", "1", "--out", run);
        using var recorded = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunConfiguration.FileName)));
        var root = recorded.RootElement;
        Assert.Equal("two-layer-net", root.GetProperty("model").GetString());
        Assert.Equal(2, root.GetProperty("epochs").GetInt32());            // the flag won
        Assert.Equal("adam", root.GetProperty("optimizer").GetString());    // the file's
        Assert.Equal(0.9, root.GetProperty("ema").GetDouble());
        Assert.Equal(2, File.ReadAllLines(Path.Combine(run, "metrics.csv")).Length - 1);
        using var stop = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, RunFolder.StopFile)));
        Assert.Equal("epochs", stop.RootElement.GetProperty("stop_reason").GetString());

        // The recorded configuration starts the same run again.
        string again = files.PathOf("again");
        Cli.Succeeds("train", "--config", Path.Combine(run, RunConfiguration.FileName), "--out", again);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run, "last.safetensors")), File.ReadAllBytes(Path.Combine(again, "last.safetensors")));

        // A resume keeps the run's settings: a file that asks for another rate is refused, naming the flag.
        Cli.Fails(["train", "--resume", run, "--config", Config("""{ "learningRate": 0.5 }""")], "--lr", "0.002");
    }

    [Fact]
    public void UnknownKeyIsAOneLineErrorNamingFileAndKey()
    {
        string config = Config("""{ "model": "lenet5", "lr": 0.1 }""");
        Cli.Fails(["train", "--config", config, "--out", files.PathOf("never")], config, "unknown key \"lr\"");
        Assert.False(Directory.Exists(files.PathOf("never")));
    }

    [Fact]
    public void LrFindPrintsASuggestionAndWritesThePlot()
    {
        string png = files.PathOf("lr.png");
        var r = Cli.Succeeds("lr-find", "--model", "two-layer-net", "--data", files.Root, "--steps", "40", "--min-lr", "1e-5", "--max-lr", "10",
            "--plot", png, "--threads", "1", "--json");
        using var json = JsonDocument.Parse(r.Output);
        double suggested = json.RootElement.GetProperty("suggested").GetDouble();
        Assert.InRange(suggested, 1e-5, 10);
        Assert.True(File.Exists(png));
    }
}
