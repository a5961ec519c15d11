using AutoGrad.Models;
using AutoGrad.Models.Export;
using AutoGrad.Models.IO;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Diagnostics;
using AutoGrad.Tests.Models.IO;
using Xunit.Abstractions;
using CliRunner = AutoGrad.Tests.Cli.Cli;

namespace AutoGrad.Tests.Models.Export;

/// <summary>
/// Trained networks: a short run on 1,000 real images (32 steps), exported by the CLI from the run folder, equal in
/// ONNX Runtime to predict on the reloaded checkpoint. lenet5-plus carries real batch-norm running statistics.
/// </summary>
[Trait("Category", "Slow")]
public class OnnxExportTrainedTests(ITestOutputHelper log)
{
    [Theory]
    [InlineData("lenet5", "momentum", 0.05)]
    [InlineData("lenet5-plus", "adam", 0.002)]
    public void TrainedRunExportsToAModelEqualToPredict(string name, string optimizer, double lr)
    {
        using var folder = new TempFolder();
        string run = folder.File("run");
        ModelZoo.TryGet(name, out var spec);
        using (var data = DoctorFixture.Splits())
        {
            var options = new TrainOptions { Epochs = 1, BatchSize = 32, Optimizer = optimizer, LearningRate = lr, Schedule = "constant", Threads = 2, OutputDirectory = run };
            new Trainer(ModelBuilder.Build<float>(spec, data.Train.Classes.Count, seed: 2), data, options).Run();
        }
        var checkpoint = Checkpoint.Load(run);
        foreach (var bn in checkpoint.Model.Layers.OfType<BatchNormLayer<float>>())
        {
            Assert.Contains(bn.State.RunningMean.Data, m => m != 0);   // moved by 32 training steps, not the initial 0 and 1
            Assert.Contains(bn.State.RunningVar.Data, v => v != 1);
        }

        foreach (bool includeNormalization in new[] { false, true })
        {
            string output = folder.File($"{name}-{includeNormalization}.onnx");
            string[] args = ["export", "--checkpoint", run, "--out", output, .. includeNormalization ? new[] { "--include-normalization" } : []];
            CliRunner.Succeeds(args);
            using var runner = new OnnxRuntimeRunner(output);
            var options = new OnnxExportOptions { IncludeNormalization = includeNormalization };
            ExportAssert.SameAsPredict(runner, checkpoint, options, first: 3, batch: 1, log);
            ExportAssert.SameAsPredict(runner, checkpoint, options, first: 0, batch: 16, log);
        }
    }
}
