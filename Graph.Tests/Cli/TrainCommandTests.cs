using System.Text.Json;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Training;

namespace AutoGrad.Tests.Cli;

public sealed class TrainCommandTests(TrainedRunFixture run) : IClassFixture<TrainedRunFixture>
{
    [Fact]
    public void TrainWritesTheRunFolder()
    {
        Assert.True(run.Train.ExitCode == 0, run.Train.Error);
        Assert.Equal("", run.Train.Error);
        Assert.Contains("run folder: " + run.RunFolder, run.Train.Output);
        TrainerTests.AssertRunFolder(run.RunFolder);
        Assert.All(new[] { "loss.png", "accuracy.png", "confusion.png" },
            f => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(run.RunFolder, f))[..4]));
    }

    [Fact]
    public void RunFolderHoldsTheSpecAndOneMetricsRowPerEpoch()
    {
        Assert.True(ModelZoo.TryGet("lenet5", out var lenet5));
        var spec = SpecJson.ReadFile(Path.Combine(run.RunFolder, "model.json"));
        Assert.Equal(lenet5.Layers, spec.Layers);
        var csv = File.ReadAllLines(Path.Combine(run.RunFolder, "metrics.csv"));
        Assert.Equal(4, csv.Length);   // header + 3 epochs
        Assert.StartsWith("epoch,", csv[0]);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.RunFolder, "metrics.json")));
        Assert.Equal(3, json.RootElement.GetArrayLength());
        var confusion = File.ReadAllText(Path.Combine(run.RunFolder, "confusion.csv"));
        Assert.Contains("left", confusion);
        Assert.Contains("right", confusion);
    }

    [Fact]
    public void EvalJsonReportsLossAccuracyTop5AndPerClass()
    {
        var r = Cli.Succeeds("eval", "--checkpoint", run.RunFolder, "--data", run.DataRoot, "--json", "--threads", "1");
        using var doc = JsonDocument.Parse(r.Output);
        var root = doc.RootElement;
        double loss = root.GetProperty("loss").GetDouble(), accuracy = root.GetProperty("accuracy").GetDouble();
        Assert.True(double.IsFinite(loss) && loss >= 0, $"loss {loss}");
        Assert.InRange(accuracy, 0, 1);
        Assert.Equal(1.0, root.GetProperty("top5").GetDouble());   // with two classes the truth is always in the top 5
        Assert.Equal(8, root.GetProperty("count").GetInt32());
        var perClass = root.GetProperty("per_class").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        Assert.Equal(["left", "right"], perClass.Keys.Order());
        Assert.Equal(accuracy, perClass.Values.Average(), 12);   // balanced test split: 4 images per class
    }

    [Fact]
    public void PredictJsonAgreesWithEval()
    {
        var eval = Cli.Succeeds("eval", "-c", run.RunFolder, "-d", run.DataRoot, "--json", "--threads", "1");
        double accuracy = JsonDocument.Parse(eval.Output).RootElement.GetProperty("accuracy").GetDouble();

        string[] images = Directory.GetFiles(Path.Combine(run.DataRoot, "test"), "*.png", SearchOption.AllDirectories).Order().ToArray();
        var r = Cli.Succeeds(["predict", "--checkpoint", run.RunFolder, "--json", .. images]);
        using var doc = JsonDocument.Parse(r.Output);
        var results = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(images, results.Select(e => e.GetProperty("image").GetString()));
        int correct = 0;
        foreach (var result in results)
        {
            var top = result.GetProperty("top").EnumerateArray().ToList();
            Assert.Equal(2, top.Count);   // --top 5 but only two classes
            var probs = top.Select(t => t.GetProperty("probability").GetDouble()).ToList();
            Assert.Equal(1.0, probs.Sum(), 5);
            Assert.True(probs[0] >= probs[1]);
            string truth = Path.GetFileName(Path.GetDirectoryName(result.GetProperty("image").GetString()))!;
            if (top[0].GetProperty("class").GetString() == truth) correct++;
        }
        // predict decodes each file itself; eval goes through the data set loader: both must classify alike.
        Assert.Equal(accuracy, correct / (double)images.Length, 12);
    }

    [Fact]
    public void PredictTopOneAndTextOutput()
    {
        string image = Path.Combine(run.DataRoot, "test", "left", "0.png");
        var json = Cli.Succeeds("predict", "-c", Path.Combine(run.RunFolder, "last.safetensors"), "--top", "1", "--json", image);
        Assert.Single(JsonDocument.Parse(json.Output).RootElement[0].GetProperty("top").EnumerateArray());
        var text = Cli.Succeeds("predict", "-c", run.RunFolder, image);
        Assert.StartsWith(image, text.Output);
        Assert.Contains("%", text.Output);
    }

    [Fact]
    public void PredictAndEvalRejectBadInput()
    {
        Cli.Fails(["predict", "-c", run.RunFolder, Path.Combine(run.DataRoot, "missing.png")], "missing.png", "not found");
        Cli.Fails(["predict", "-c", run.RunFolder, "--top", "0", Path.Combine(run.DataRoot, "test", "left", "0.png")], "--top");
        Cli.Fails(["eval", "-c", Path.Combine(run.DataRoot, "no-run"), "-d", run.DataRoot], "--checkpoint");
        Cli.Fails(["eval", "-c", run.RunFolder, "-d", run.DataRoot, "--split", "val"], "--split val");
    }

    [Fact]
    public void EvalTextListsEveryClass()
    {
        var r = Cli.Succeeds("eval", "-c", run.RunFolder, "-d", run.DataRoot, "--threads", "1");
        Assert.Contains("8 images", r.Output);
        Assert.Contains("left", r.Output);
        Assert.Contains("right", r.Output);
        Assert.Contains("%", r.Output);
    }
}
