using AutoGrad.Ops;

namespace AutoGrad.Tests.Graph;

/// <summary>Worked examples for the engine, with numbers a person can check by hand.</summary>
public class EngineExampleTests
{
    private static Node<double> Param(string name, int[] shape, params double[] values) => Node<double>.Parameter(Tensor<double>.FromArray(shape, values), name);

    [Fact]
    public void FanOutAccumulates()
    {
        // y = x·x + x at x = 3: dy/dx = 2x + 1 = 7 (x feeds three places).
        var x = Param("x", [], 3);
        var y = Add.Apply(Mul.Apply(x, x), x);
        y.Backprop();
        Assert.Equal(12, y.Value.ToScalar());
        Assert.Equal(7, x.Grad!.ToScalar());
    }

    [Fact]
    public void BroadcastGradientIsReducedToInputShape()
    {
        // a [2,3] + b [3], summed: dL/db = [2, 2, 2] (b was used by both rows), dL/da = ones.
        var a = Param("a", [2, 3], 1, 2, 3, 4, 5, 6);
        var b = Param("b", [3], 10, 20, 30);
        Sum.Apply(Add.Apply(a, b)).Backprop();
        Assert.Equal([3], b.Grad!.Shape);
        Assert.Equal([2.0, 2, 2], b.Grad.Data);
        Assert.Equal(Enumerable.Repeat(1.0, 6), a.Grad!.Data);
    }

    [Fact]
    public void BroadcastOverSizeOneDimensionSumsThatDimension()
    {
        // a [2,1] · b [1,3] → [2,3]; L = Σ: dL/da[i] = Σ_j b[j] = 6, dL/db[j] = Σ_i a[i] = 3.
        var a = Param("a", [2, 1], 1, 2);
        var b = Param("b", [1, 3], 1, 2, 3);
        Sum.Apply(Mul.Apply(a, b)).Backprop();
        Assert.Equal([6.0, 6], a.Grad!.Data);
        Assert.Equal([3.0, 3, 3], b.Grad!.Data);
    }

    [Fact]
    public void OneBufferGivenToTwoInputsIsNotMutatedByFanIn()
    {
        // twin(a, b) = a + b whose backward hands the same fresh buffer to both inputs; a also gets 3 from 3a.
        // Summing a's fan-in must not write into b's gradient: dL/da = 1 + 3 = 4, dL/db = 1.
        var a = Param("a", [], 1);
        var b = Param("b", [], 2);
        var twin = Node<double>.FromOp("twin", Tensor<double>.Scalar(3), [a, b], grad => { var t = grad.Clone(); return [t, t]; });
        Add.Apply(twin, Mul.Apply(a, Node<double>.Constant(Tensor<double>.Scalar(3)))).Backprop();
        Assert.Equal(4, a.Grad!.ToScalar());
        Assert.Equal(1, b.Grad!.ToScalar());
    }

    [Fact]
    public void UnusedInputGetsNoGradient()
    {
        // `unused` is in the graph twice: an input of the root's op, whose VJP declares it gets nothing (null, as
        // for an input an op ignores), and the parent of a side branch the root does not depend on.
        var a = Param("a", [], 2);
        var unused = Param("unused", [], 5);
        var side = Mul.Apply(unused, a);
        var product = Mul.Apply(a, Node<double>.Constant(Tensor<double>.Scalar(4)));
        var y = Node<double>.FromOp("first_of_two", product.Value, [product, unused], grad => [grad, null]);
        y.Backprop();
        Assert.Equal(4, a.Grad!.ToScalar());   // nothing from the side branch
        Assert.Null(unused.Grad);              // no gradient at all, not a zero one
        Assert.False(side.Released);           // the side branch was never visited
    }

    [Fact]
    public void NonScalarRootNeedsSeed()
    {
        var a = Param("a", [2], 1, 2);
        var y = Exp.Apply(a);
        var error = Assert.Throws<AutoGradException>(() => y.Backprop());
        Assert.Contains("non-scalar", error.Message);
        Assert.Contains("[2]", error.Message);
        // With a seed it works: d(exp)/da ⊙ seed.
        y.Backprop(Tensor<double>.FromArray([2], [1, 0.5]));
        Assert.Equal(Math.Exp(1), a.Grad!.Data[0], 12);
        Assert.Equal(0.5 * Math.Exp(2), a.Grad.Data[1], 12);
    }

    [Fact]
    public void NoGradScopeRecordsNothing()
    {
        var a = Param("a", [], 2);
        Node<double> y;
        using (GradMode.NoGrad()) y = Mul.Apply(a, a);
        Assert.Equal(4, y.Value.ToScalar());
        Assert.False(y.RequiresGrad);
        Assert.Empty(y.Parents);
        Assert.True(GradMode.IsEnabled);
        y.Backprop();   // nothing to do: no graph was recorded
        Assert.Null(a.Grad);
    }

    [Fact]
    public void RepeatedBackwardAccumulatesUntilZeroed()
    {
        var w = Param("w", [], 3);
        for (int i = 0; i < 2; i++) Mul.Apply(w, w).Backprop();
        Assert.Equal(12, w.Grad!.ToScalar());   // 2·(2w) = 12
        w.ZeroGrad();
        Mul.Apply(w, w).Backprop();
        Assert.Equal(6, w.Grad!.ToScalar());
    }

    [Fact]
    public void SecondBackwardThroughReleasedGraphIsAnError()
    {
        var w = Param("w", [], 3);
        var y = Exp.Apply(Mul.Apply(w, w));
        y.Backprop();
        Assert.True(y.Released);
        Assert.Throws<AutoGradException>(() => y.Backprop());
        var z = Exp.Apply(w);
        z.Backprop(retainGraph: true);
        z.Backprop();
        Assert.Equal(Math.Exp(3) * 2, w.Grad!.ToScalar() - 2 * 3 * Math.Exp(9), 9);
    }

    [Fact]
    public void TenThousandNodeChainDoesNotOverflowTheStack()
    {
        // y = x + 1 + 1 + … (10,000 adds): dy/dx = 1.
        var x = Param("x", [], 0.5);
        var one = Node<double>.Constant(Tensor<double>.Scalar(1));
        var y = x;
        for (int i = 0; i < 10_000; i++) y = Add.Apply(y, one);
        y.Backprop();
        Assert.Equal(10_000.5, y.Value.ToScalar());
        Assert.Equal(1, x.Grad!.ToScalar());
    }

    [Fact]
    public void TopologicalOrderPutsInputsFirst()
    {
        var a = Param("a", [], 1);
        var b = Exp.Apply(a);
        var c = Add.Apply(b, a);
        var order = Autograd.TopologicalOrder(c);
        Assert.Equal([a, b, c], order);
    }

    [Fact]
    public void NodesRecordTheirLayer()
    {
        var a = Param("a", [], 1);
        Node<double> inside;
        using (LayerScope.Enter("conv1")) inside = Exp.Apply(a);
        var outside = Exp.Apply(a);
        Assert.Equal("conv1", inside.Layer);
        Assert.Null(outside.Layer);
    }

    [Fact]
    public void FirstNonFiniteNamesTheNodeThatProducedNaN()
    {
        // log(−1) is NaN; exp of it stays NaN: the first bad node is the log, not the exp or the input.
        var x = Param("x", [2], 1, -1);
        var log = Log.Apply(x);
        var y = Exp.Apply(log);
        Assert.Same(log, Autograd.FirstNonFinite(y));
        Assert.Null(Autograd.FirstNonFinite(Exp.Apply(Param("z", [1], 2))));
    }

    [Fact]
    public void AllFiniteIsExactEvenWhenTheSumOverflows()
    {
        Assert.True(Tensor<float>.FromArray([2], [3e38, 3e38]).AllFinite());   // the sum is +∞, the elements are finite
        Assert.False(Tensor<float>.FromArray([3], [1, double.NaN, 2]).AllFinite());
        Assert.False(Tensor<double>.FromArray([2], [double.PositiveInfinity, double.NegativeInfinity]).AllFinite());
    }

    [Fact]
    public void WillBackpropMatchesWhetherAnOpKeepsItsBackward()
    {
        var w = Param("w", [2], 1, 2);
        var x = Node<double>.Input(Tensor<double>.FromArray([2], [3, 4]));
        Assert.True(Node<double>.WillBackprop([x, w]));
        Assert.True(Mul.Apply(x, w).RequiresGrad);
        Assert.False(Node<double>.WillBackprop([x, x]));
        Assert.False(Mul.Apply(x, x).RequiresGrad);
        using (GradMode.NoGrad())
        {
            Assert.False(Node<double>.WillBackprop([x, w]));
            Assert.False(Mul.Apply(x, w).RequiresGrad);
        }
    }
}
