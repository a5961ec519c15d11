using System.Text.Json;

namespace AutoGrad.Tests.Cli;

/// <summary>`autograd bench`: the JSON keys the issue asks for, the W5 epoch mode, and its bad input. Sets --threads, so serial.</summary>
public class BenchCommandTests
{
    [Fact]
    public void StepBenchmarkPrintsOneJsonObjectWithTheRequiredKeys()
    {
        var r = Cli.Succeeds("bench", "--model", "two-layer-net", "--steps", "3", "--warmup", "1", "--threads", "1", "--json");
        var line = Assert.Single(r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        Assert.Equal("two-layer-net", root.GetProperty("model").GetString());
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
        foreach (string key in new[] { "img_per_s", "ms_per_step", "gflops", "peak_rss_mb" })
            Assert.True(root.GetProperty(key).GetDouble() > 0, key);
        Assert.True(root.GetProperty("alloc_bytes_per_step").GetInt64() >= 0);
    }

    [Fact]
    public void EpochBenchmarkTrainsOneEpochOnTheDatasetAndLeavesNoRunFolder()
    {
        // Only this process's folders: other test runs on the machine may be benchmarking at the same time.
        string mine = $"autograd-bench-{Environment.ProcessId}-*";
        var before = Directory.GetDirectories(Path.GetTempPath(), mine).Length;
        var r = Cli.Succeeds("bench", "--data", "fashion-mnist-mini", "--threads", "2", "--json");
        using var doc = JsonDocument.Parse(r.Output.Trim());
        var root = doc.RootElement;
        Assert.Equal("lenet5", root.GetProperty("model").GetString());
        Assert.Equal(10_000, root.GetProperty("train_images").GetInt32());
        Assert.True(root.GetProperty("load_s").GetDouble() > 0);
        Assert.True(root.GetProperty("epoch_s").GetDouble() > 0);
        Assert.True(root.GetProperty("img_per_s").GetDouble() > 0);
        // One real epoch learns: far above the 10 % of chance on the ten classes.
        Assert.True(root.GetProperty("test_accuracy").GetDouble() > 0.5, r.Output);
        Assert.Equal(before, Directory.GetDirectories(Path.GetTempPath(), mine).Length);
    }

    [Theory]
    [InlineData("--steps", "5")]
    [InlineData("--warmup", "1")]
    [InlineData("--classes", "7")]
    public void EpochBenchmarkRefusesFlagsItWouldIgnore(string flag, string value)
        => Cli.Fails(["bench", "--data", "fashion-mnist-mini", flag, value], flag, "does not apply with --data");

    [Fact]
    public void EpochBenchmarkOnAMissingDatasetIsAOneLineError()
        => Cli.Fails(["bench", "--data", "/nonexistent/dataset"], "--data", "/nonexistent/dataset");
}
