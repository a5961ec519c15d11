using AutoGrad.Ops;

namespace AutoGrad.Tests.Graph;

/// <summary>
/// The engine's leaf callback (data-parallel training starts reducing a gradient from it): each leaf is
/// reported once, only after every consumer has added its share, and a later layer's leaves before an earlier one's.
/// </summary>
public class LeafGradientReadyTests
{
    [Fact]
    public void EachLeafIsReportedOnceWithItsFinalGradientLastLayerFirst()
    {
        // h = x·w1, y = Σ (h·w2 + w2), data before weights as layers pass them: w2 is used twice (fan-in), w1 once and earlier.
        var x = Node<double>.Input(Tensor<double>.FromArray([2], [1, 2]));
        var w1 = Node<double>.Parameter(Tensor<double>.FromArray([2], [3, 4]), "w1");
        var w2 = Node<double>.Parameter(Tensor<double>.FromArray([2], [5, 6]), "w2");
        var h = Mul.Apply(x, w1);
        var y = Sum.Apply(Add.Apply(Mul.Apply(h, w2), w2));
        var reported = new List<(string Name, double[] Grad)>();
        y.Backprop(onLeafGradientReady: leaf => reported.Add((leaf.Name!, (double[])leaf.Grad!.Data.Clone())));

        Assert.Equal(["w2", "w1"], reported.Select(r => r.Name));
        Assert.Equal([4, 9], reported[0].Grad);    // ∂y/∂w2 = h + 1 = (3, 8) + 1, both consumers summed
        Assert.Equal([5, 12], reported[1].Grad);   // ∂y/∂w1 = w2·x
        Assert.Equal(w2.Grad!.Data, reported[0].Grad);
    }
}
