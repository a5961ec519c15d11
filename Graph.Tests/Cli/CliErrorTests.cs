using AutoGrad.Tests.Models.Data;
using AutoGrad.Tests.Models.Training;

namespace AutoGrad.Tests.Cli;

/// <summary>Bad train flags: non-zero exit, one line on stderr naming the flag, no stack trace, no run folder left behind.</summary>
public sealed class CliErrorTests : IDisposable
{
    private readonly DataFixtures files = new();

    public CliErrorTests() => SyntheticImages.WriteClassFolders(files, perClass: 1);

    public static TheoryData<string[], string> BadTrainFlags => new()
    {
        { ["--batch", "0"], "--batch" },
        { ["--epochs", "-1"], "--epochs" },
        { ["--epochs", "0"], "--epochs" },
        { ["--lr", "0"], "--lr" },
        { ["--lr", "-0.1"], "--lr" },
        { ["--threads", "0"], "--threads" },
        { ["--clip", "-1"], "--clip" },
        { ["--label-smoothing", "1"], "--label-smoothing" },
        { ["--erase", "1.5"], "--erase" },
        { ["--crop", "-1"], "--crop" },
        { ["--model", "lenet6"], "--model" },
        { ["--data", "no-such-dataset"], "--data" },
        { ["--optimizer", "rmsprop"], "--optimizer" },
        { ["--momentum", "1.5"], "--momentum" },
        { ["--weight-decay", "-1"], "--weight-decay" },
        { ["--schedule", "step:0"], "--schedule" },
        { ["--schedule", "linear"], "--schedule" },
        { ["--warmup", "5"], "--warmup" },
        { ["--batch", "many"], "--batch" },
        { ["--resume", "/no/such/run"], "--resume" },
    };

    [Theory]
    [MemberData(nameof(BadTrainFlags))]
    public void BadTrainFlagFailsCleanly(string[] flag, string name)
    {
        string output = files.PathOf("run");
        // Good values for everything else, each flag given once (a repeated option would be a parse error of its own).
        var options = new Dictionary<string, string> { ["--epochs"] = "1", ["--batch"] = "2", ["--threads"] = "1", ["--out"] = output, ["--data"] = files.Root };
        options[flag[0]] = flag[1];
        Cli.Fails(["train", .. options.SelectMany(o => new[] { o.Key, o.Value })], name);
        Assert.False(Directory.Exists(output), $"a failed 'train {string.Join(' ', flag)}' left its run folder behind");
    }

    [Fact]
    public void VerboseAddsTheStackTrace()
    {
        var r = Cli.Run("train", "--model", "lenet6", "--out", files.PathOf("run"), "--verbose");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("   at ", r.Error);
    }

    [Fact]
    public void UnknownCommandAndUnknownOptionFail()
    {
        Cli.Fails(["fly"], "fly");
        Cli.Fails(["summary", "--colour"], "--colour");
    }

    public void Dispose()
    {
        files.Dispose();
    }
}
