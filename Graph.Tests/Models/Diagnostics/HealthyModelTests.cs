using System.Text.Json;
using AutoGrad.Models.Diagnostics;
using AutoGrad.Models.Training;
using static AutoGrad.Tests.Models.Diagnostics.DoctorFixture;

namespace AutoGrad.Tests.Models.Diagnostics;

public sealed class HealthyModelTests
{
    [Fact]
    public void HealthyLenet5OnGoodDataHasNoError()
    {
        string dir = Path.Combine(Path.GetTempPath(), "autograd-doctor-" + Guid.NewGuid().ToString("N"));
        try
        {
            var report = Diagnose(new ModelRecipe(Lenet5, 10), Fast() with { OutputDirectory = dir });
            Assert.True(!report.Errors.Any(), report.ToText());
            Assert.Contains(report.Findings, f => f.Id == "gradcheck-passed");
            Assert.Contains(report.Findings, f => f.Id is "overfit-ok" or "overfit-slow");   // momentum 0.05 on 16 samples may need more than 150 steps
            Assert.Contains(report.Findings, f => f.Id == "controls-ok");
            Assert.Equal(["data", "gradcheck", "health", "ladder", "overlay"], report.Timings.Select(t => t.Part));
            foreach (string file in new[] { "report.json", "report.txt", "gradcheck.txt", "health.dot", "montage.png" })
                Assert.True(File.Exists(Path.Combine(dir, file)), file);
            Assert.DoesNotContain(AutoGrad.Models.Diagnostics.HealthOverlay.NoGradient, File.ReadAllText(Path.Combine(dir, "health.dot")));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void TooFewTestSamplesMakeTheControlsInconclusiveNotAnError()
    {
        // Two held-out images: no accuracy can beat a control by three standard errors, whatever the model does.
        var report = Diagnose(new ModelRecipe(Lenet5, 10), Fast("data", "gradcheck", "health") with { HeldOut = 2 });
        Assert.Equal(Severity.Info, Assert.Single(report.Findings, f => f.Id == "controls-inconclusive").Severity);
        Assert.DoesNotContain(report.Findings, f => f.Id is "labels-not-learnable" or "inputs-ignored" or "controls-ok");
    }

    [Fact]
    public void AuditRecognisesKinksInsteadOfFailing()
    {
        using var data = Splits();
        var options = Fast() with { AuditSamples = 4 };
        var audit = Doctor.Audit(new ModelRecipe(Lenet5, 10), data.Train, Doctor.NormalizationFor(data, "train"), options);
        Assert.True(audit.Passed, DoctorReport.AuditTable(audit));
        Assert.Equal(23, audit.Layers.Count);   // 12 layers' inputs and parameters, plus the loss
        Assert.Equal(10, audit.EndToEnd.Count);
    }

    [Fact]
    public void JsonHasExactlyFindingsNotRunAndVerdict()
    {
        var report = Diagnose(new ModelRecipe(Mlp("relu"), 10), Fast("gradcheck", "ladder"));
        using var doc = JsonDocument.Parse(report.ToJson());
        Assert.Equal(["findings", "not_run", "verdict"], doc.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, doc.RootElement.GetProperty("not_run").GetArrayLength());   // parts skipped on request are not "not run"
        foreach (var f in doc.RootElement.GetProperty("findings").EnumerateArray())
        {
            Assert.Equal(["id", "severity", "message", "evidence", "fix"], f.EnumerateObject().Select(p => p.Name));
            Assert.Contains(f.GetProperty("severity").GetString(), new[] { "error", "warning", "info" });
        }
        var severities = doc.RootElement.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("severity").GetString()).ToList();
        Assert.Equal(severities.OrderBy(s => s switch { "error" => 0, "warning" => 1, _ => 2 }), severities);
    }

    [Fact]
    public void OverlayDrawsParametersWithoutGradientRed()
    {
        using var data = Splits();
        var recipe = new ModelRecipe(Lenet5, 10, 1, new InjectFault(Fault.ConvNoWeightGradient, "conv1"));
        var model = recipe.Create();
        var norm = Doctor.NormalizationFor(data, "train");
        var indices = Enumerable.Range(0, 8).ToArray();
        var images = new Tensor<float>([8, 1, 28, 28]);
        var buffer = new float[784];
        for (int i = 0; i < 8; i++) { norm.Apply(data.Train.Sample(i), 1, buffer); buffer.CopyTo(images.Data, i * 784); }
        var (graph, style) = HealthOverlay.Build(model, images, indices.Select(data.Train.Label).ToArray(), new CrossEntropyLoss());
        Assert.Equal(HealthOverlay.NoGradient, style.FillColors["conv1.weight"]);
        Assert.Equal(HealthOverlay.Healthy, style.FillColors["conv2.weight"]);
        Assert.Contains("fillcolor=\"#e74c3c\"", graph.ToDot(style: style));
    }
}
