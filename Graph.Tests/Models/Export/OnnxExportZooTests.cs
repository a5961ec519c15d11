using AutoGrad.Models.Export;
using AutoGrad.Models.Inspection;
using AutoGrad.Models.Zoo;
using Xunit.Abstractions;

namespace AutoGrad.Tests.Models.Export;

/// <summary>Every zoo model, randomly initialised, exported and run in ONNX Runtime against predict's forward pass.</summary>
public class OnnxExportZooTests(ITestOutputHelper log)
{
    /// <summary>The 28×28 models; the report's two 3×256×256 ones (a 285 MB fully connected layer) take a minute and are Slow.</summary>
    public static TheoryData<string> Small => new(ModelZoo.All.Where(s => s.Input[1] <= 28).Select(s => s.Name));
    public static TheoryData<string> Large => new(ModelZoo.All.Where(s => s.Input[1] > 28).Select(s => s.Name));

    [Fact]
    public void EveryZooModelIsCovered() =>
        Assert.Equal(ModelZoo.Names.Order(), ((IEnumerable<object[]>)Small).Concat(Large).Select(row => (string)row[0]).Order());

    [Theory, MemberData(nameof(Small))]
    public void ZooModelRunsInOnnxRuntimeAsPredictComputesIt(string name) => RunsAsPredict(name);

    [Theory, MemberData(nameof(Large)), Trait("Category", "Slow")]
    public void LargeZooModelRunsInOnnxRuntimeAsPredictComputesIt(string name) => RunsAsPredict(name);

    private void RunsAsPredict(string name)
    {
        ModelZoo.TryGet(name, out var spec);
        var checkpoint = ExportCheckpoints.Random(spec);
        OnnxExportOptions[] variants =
        [
            new(),
            new() { IncludeNormalization = true },
            new() { IncludeNormalization = true, WithSoftmax = true },
        ];
        // Our forward pass once per batch (seed-lenet5's is the slow part), compared with each export.
        var batches = new[] { (First: 0, Count: 1), (First: 1, Count: 5) }
            .Select(b => ExportSamples.Images(spec.Input, b.First, b.Count)).Select(images => (images, Predictor.Logits(checkpoint, images))).ToList();
        foreach (var options in variants)
        {
            using var runner = new OnnxRuntimeRunner(OnnxExporter.ToBytes(checkpoint, options));
            foreach (var (images, logits) in batches) ExportAssert.SameAsPredict(runner, checkpoint, options, images, logits, log);
        }
    }
}
