using System.Text.RegularExpressions;
using AutoGrad.Ops;

namespace AutoGrad.Tests.Graph;

public class DotExportTests
{
    private static CapturedGraph<float> SmallNet(out Node<float> loss)
    {
        var x = Node<float>.Input(new Tensor<float>(2, 1, 6, 6), "images");
        var w = Node<float>.Parameter(new Tensor<float>(3, 1, 3, 3), "conv1.weight");
        var b = Node<float>.Parameter(new Tensor<float>(3), "conv1.bias");
        Node<float> h;
        using (LayerScope.Enter("conv1")) h = Relu.Apply(Conv2d.Apply(x, w, b));
        var fw = Node<float>.Parameter(new Tensor<float>(4, 12), "fc1.weight");
        Node<float> logits;
        using (LayerScope.Enter("fc1")) logits = Linear.Apply(Flatten.Apply(MaxPool2d.Apply(h, 2)), fw);
        loss = SoftmaxCrossEntropy.Apply(logits, [0, 3]);
        return CapturedGraph<float>.FromOutputs(loss);
    }

    [Fact]
    public void CaptureListsNodesInDataFlowOrder()
    {
        var graph = SmallNet(out var loss);
        Assert.Equal(10, graph.Nodes.Count);   // images, 3 params, conv, relu, pool, flatten, linear, loss
        Assert.Same(loss, graph.Nodes[^1]);
        var index = graph.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        foreach (var e in graph.Edges) Assert.True(index[e.From] < index[e.To]);
        Assert.Equal(3, graph.Parameters.Count());
        Assert.Contains("conv2d×1", graph.Summary());
    }

    [Fact]
    public void DotHasLabelledOpsStyledParametersAndLayerClusters()
    {
        var dot = SmallNet(out _).ToDot();
        Assert.StartsWith("digraph autograd {", dot);
        Assert.EndsWith("}" + Environment.NewLine, dot);
        Assert.Contains("conv2d\\n[2, 3, 4, 4]", dot);
        Assert.Contains("conv1.weight\\n[3, 1, 3, 3]\\n27 values", dot);
        Assert.Contains("subgraph \"cluster_conv1\"", dot);
        Assert.Contains("subgraph \"cluster_fc1\"", dot);
        Assert.Matches(new Regex("shape=ellipse"), dot);
        Assert.Equal(dot.Count(c => c == '{'), dot.Count(c => c == '}'));
        Assert.DoesNotContain("label=\"grad\"", dot);
    }

    [Fact]
    public void BackwardDotAddsGradientEdgesOnlyWhereGradientsFlow()
    {
        var graph = SmallNet(out _);
        var dot = graph.ToDot(backward: true);
        int gradEdges = Regex.Count(dot, "label=\"grad\"");
        int flowing = graph.Edges.Count(e => e.From.RequiresGrad && e.To.RequiresGrad);
        Assert.Equal(flowing, gradEdges);
        Assert.Equal(graph.Edges.Count - 1, flowing);   // only images → conv carries no gradient
    }
}
