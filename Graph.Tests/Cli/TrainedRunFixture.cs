using AutoGrad.Tests.Models.Data;
using AutoGrad.Tests.Models.Training;

namespace AutoGrad.Tests.Cli;

/// <summary>
/// One `autograd train` run on a tiny class-folder data set (two classes, four 28×28 PNGs each per split),
/// shared by the tests that inspect its run folder or evaluate and predict with it.
/// </summary>
public sealed class TrainedRunFixture : IDisposable
{
    public TrainedRunFixture()
    {
        Files = new DataFixtures();
        SyntheticImages.WriteClassFolders(Files, perClass: 4);
        RunFolder = Files.PathOf("run");
        Train = Cli.Run("train", "--model", "lenet5", "--data", Files.Root, "--epochs", "3", "--batch", "4",
            "--optimizer", "adam", "--lr", "0.002", "--schedule", "constant", "--weight-decay", "0",
            "--threads", "1", "--seed", "3", "--out", RunFolder);
    }

    public DataFixtures Files { get; }
    public string DataRoot => Files.Root;
    public string RunFolder { get; }
    public Cli.Result Train { get; }

    public void Dispose() => Files.Dispose();
}
