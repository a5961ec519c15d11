using System.Text.RegularExpressions;
using AutoGrad.Models.Specs;
using AutoGrad.Models.Zoo;

namespace AutoGrad.Tests.Cli;

/// <summary>summary, graph, models and --help: commands that read specs and print, touching no global state.</summary>
public class InspectCommandTests
{
    [Theory]
    [InlineData("10", "61,706")]   // hand count in ModelZooTests: 156 + 2,416 + 48,120 + 10,164 + 850
    [InlineData("50", "65,106")]
    public void SummaryPrintsLayersAndTheTotalParameterCount(string classes, string total)
    {
        var r = Cli.Succeeds("summary", "--model", "lenet5", "--classes", classes);
        Assert.Contains($"parameters: {total}", r.Output);
        foreach (string layer in new[] { "conv1", "pool2", "fc1", "fc3" }) Assert.Contains(layer, r.Output);
        Assert.Contains("[16, 5, 5]", r.Output);
    }

    [Fact]
    public void SummaryReadsAJsonSpecFile()
    {
        string path = Path.Combine(Path.GetTempPath(), "autograd-cli-spec-" + Guid.NewGuid().ToString("N") + ".json");
        File.WriteAllText(path, """{"name": "tiny", "input": [3], "layers": [{"type": "linear", "out": "classes"}]}""");
        try
        {
            var r = Cli.Succeeds("summary", "-m", path, "--classes", "2");
            Assert.Contains("parameters: 8 ", r.Output);   // 2·3 weights + 2 biases
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void GraphWritesDotToStdout()
    {
        var r = Cli.Succeeds("graph", "--model", "lenet5");
        Assert.StartsWith("digraph", r.Output);
        Assert.EndsWith("}\n", r.Output.Replace("\r\n", "\n"));
        Assert.Contains("cluster_conv1", r.Output);
        Assert.Contains("fc3.weight", r.Output);
        Assert.DoesNotContain("label=\"grad\"", r.Output);
    }

    [Fact]
    public void GraphBackwardAddsGradientEdges()
    {
        string forward = Cli.Succeeds("graph", "-m", "two-layer-net").Output;
        string both = Cli.Succeeds("graph", "-m", "two-layer-net", "--backward").Output;
        int Edges(string dot) => Regex.Count(dot, @"n\d+ -> n\d+");
        int grads = Regex.Count(both, @"label=""grad""");
        Assert.True(grads > 0);
        Assert.Equal(Edges(forward) + grads, Edges(both));
        // Gradients reach every parameter: two-layer-net has fc1/fc2 weight and bias.
        foreach (string p in new[] { "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias" }) Assert.Contains(p, both);
    }

    [Fact]
    public void GraphSvgWithoutOutIsAnError() => Cli.Fails(["graph", "--format", "svg"], "--format svg", "--out");

    [Fact]
    public void ModelsListsTheWholeZoo()
    {
        var r = Cli.Succeeds("models");
        var lines = r.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(ModelZoo.Names.Count(), lines.Length);
        foreach (string name in ModelZoo.Names) Assert.Contains(lines, l => l.StartsWith(name + " "));
        Assert.Contains(lines, l => l.StartsWith("lenet5 ") && l.Contains("61,706"));
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("seed-lenet5-improved")]
    public void ModelsShowJsonParsesBackToTheZooSpec(string name)
    {
        var r = Cli.Succeeds("models", "show", name, "--json");
        var spec = SpecJson.Parse(r.Output, "stdout");
        Assert.True(ModelZoo.TryGet(name, out var zoo));
        Assert.Equal(zoo.Name, spec.Name);
        Assert.Equal(zoo.Input, spec.Input);
        Assert.Equal(zoo.Layers, spec.Layers);
    }

    [Fact]
    public void ModelsShowTextListsLayers()
    {
        var r = Cli.Succeeds("models", "show", "lenet5");
        Assert.Contains("input [1, 28, 28]", r.Output);
        Assert.Contains("conv2d out=6 kernel=5 padding=2", r.Output);
        Assert.Contains("linear out=classes", r.Output);
    }

    [Fact]
    public void ModelsShowUnknownNameFails() => Cli.Fails(["models", "show", "lenet7"], "lenet7");

    [Theory]
    [InlineData("train")]
    [InlineData("eval")]
    [InlineData("predict")]
    [InlineData("summary")]
    [InlineData("graph")]
    [InlineData("models")]
    [InlineData("models show")]
    [InlineData("")]
    public void HelpExitsZeroAndDescribesTheCommand(string command)
    {
        string[] args = [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"];
        var r = Cli.Run(args);
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("Usage:", r.Output);
        Assert.Contains("--help", r.Output);
        Assert.Equal("", r.Error);
    }
}
