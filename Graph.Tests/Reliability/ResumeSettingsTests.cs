using CliRunner = AutoGrad.Tests.Cli.Cli;

namespace AutoGrad.Tests.Reliability;

/// <summary>A resume keeps the run's settings; a new run never writes into a folder that holds another run.</summary>
public class ResumeSettingsTests
{
    private static string[] Train(TinyRun run, string output, params string[] more) =>
        ["train", "--data", run.Data, "--epochs", "1", "--batch", "32", "--optimizer", "adam", "--lr", "0.001", "--threads", "1", "--out", output, .. more];

    [Trait("Category", "Slow")]
    [Fact]
    public void ResumeWithADifferentSettingIsRefusedNamingTheFlag()
    {
        using var run = new TinyRun(train: 64, test: 16);
        string output = run.Out("r");
        Assert.Equal(0, CliRunner.Run(Train(run, output)).ExitCode);
        var r = CliRunner.Run("train", "--resume", output, "--lr", "0.05");
        Assert.NotEqual(0, r.ExitCode);
        string last = r.Error.TrimEnd().Split('\n')[^1];
        Assert.StartsWith("error: --lr: the run in", last);
        Assert.Contains("0.001", last);
        // Extending the run is allowed: more epochs, same settings.
        var more = CliRunner.Run("train", "--resume", output, "--epochs", "2", "--threads", "1");
        Assert.True(more.ExitCode == 0, more.Error);
        Assert.Equal(3, File.ReadAllLines(Path.Combine(output, "metrics.csv")).Length);   // header + 2 epochs
    }

    [Fact]
    public void NewRunIntoAFolderWithFilesIsRefused()
    {
        using var run = new TinyRun(train: 64, test: 16);
        string output = run.Out("taken");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        var r = CliRunner.Run(Train(run, output));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--out:", r.Error);
        Assert.Equal(["notes.txt"], Directory.GetFiles(output).Select(Path.GetFileName));
    }
}
