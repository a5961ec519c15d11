using AutoGrad.Models;
using AutoGrad.Models.Layers;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Ops;

namespace AutoGrad.Tests.Graph;

/// <summary>The pool's ownership rule: what a scope hands back, what it never touches, and that pooling changes no result.</summary>
public class TensorPoolTests
{
    private static Tensor<double> Rand(Random r, params int[] shape)
        => new(shape, Enumerable.Range(0, Shapes.Size(shape)).Select(_ => r.NextDouble() - 0.5).ToArray());

    private static (Node<double> Loss, Node<double> Hidden, Node<double> W) Step(Tensor<double> x, Node<double> w)
    {
        var hidden = Relu.Apply(Linear.Apply(Node<double>.Input(x), w));
        return (Sum.Apply(Relu.Apply(hidden)), hidden, w);
    }

    [Fact]
    public void WithoutAScopeNothingIsPooled()
    {
        // A pool that has been current and holds idle buffers: once its scope is closed, a step neither takes
        // from it nor gives back to it, and Rent hands out fresh zeroed arrays, not its (poisoned) buffers.
        var pool = new TensorPool { PoisonReturned = true };
        var x = Rand(new Random(1), 4, 5);
        var w = Node<double>.Parameter(Rand(new Random(2), 6, 5), "w");
        using (pool.Scope()) Step(x, w).Loss.Backprop();
        int idle = pool.IdleCount;
        Assert.True(idle > 0);
        Assert.Null(TensorPool.Current);
        var (loss, hidden, _) = Step(x, w);
        Assert.All(hidden.Value.Data, v => Assert.False(double.IsNaN(v)));
        loss.Backprop();
        Assert.Equal(idle, pool.IdleCount);
        Assert.All(hidden.Value.Data, v => Assert.False(double.IsNaN(v)));   // not handed back: never poisoned
        var t = TensorPool.Rent<double>(hidden.Shape, clear: false);
        Assert.All(t.Data, v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void APoisoningPoolFillsWhatComesBackWithNaN()
    {
        foreach (bool poison in new[] { false, true })
        {
            var pool = new TensorPool { PoisonReturned = poison };
            using (pool.Scope())
            {
                var (loss, hidden, _) = Step(Rand(new Random(1), 4, 5), Node<double>.Parameter(Rand(new Random(2), 6, 5), "w"));
                loss.Backprop();   // hidden is an interior value, not kept: it goes back to the pool
                Assert.Equal(poison, hidden.Value.Data.All(double.IsNaN));
                Assert.False(double.IsNaN(loss.Value.ToScalar()));   // the root is never handed back
            }
        }
    }

    [Fact]
    public void AScopeGetsReleasedBuffersBackAndLendsThemAgain()
    {
        var pool = new TensorPool();
        var x = Rand(new Random(1), 4, 5);
        var w = Node<double>.Parameter(Rand(new Random(2), 6, 5), "w");
        using (pool.Scope())
        {
            var (loss, _, _) = Step(x, w);
            loss.Backprop();
        }
        int idle = pool.IdleCount;
        Assert.True(idle > 0);
        Assert.Null(TensorPool.Current);
        using (pool.Scope())
        {
            Step(x, w);
            Assert.True(pool.IdleCount < idle);   // lent again rather than allocated
        }
    }

    [Fact]
    public void KeptTensorsLeafGradsAndTheRootAreNeverReused()
    {
        var pool = new TensorPool();
        var x = Rand(new Random(1), 4, 5);
        var w = Node<double>.Parameter(Rand(new Random(2), 6, 5), "w");
        Tensor<double> kept, grad, root;
        double[] keptCopy;
        using (var step = pool.Scope())
        {
            var (loss, hidden, _) = Step(x, w);
            step.Keep(hidden.Value);
            keptCopy = (double[])hidden.Value.Data.Clone();
            loss.Backprop();
            (kept, grad, root) = (hidden.Value, w.Grad!, loss.Value);
        }
        var gradCopy = (double[])grad.Data.Clone();
        for (int i = 0; i < 3; i++)
            using (pool.Scope())
            {
                var (loss, hidden, _) = Step(x, w);
                Assert.NotSame(kept.Data, hidden.Value.Data);
                Assert.NotSame(root.Data, loss.Value.Data);
                Assert.NotSame(grad.Data, hidden.Value.Data);
                w.ZeroGrad();
                loss.Backprop();
                Assert.NotSame(grad.Data, w.Grad!.Data);
            }
        Assert.Equal(keptCopy, kept.Data);
        Assert.Equal(gradCopy, grad.Data);
    }

    [Fact]
    public void RecycleLentHandsBackWhatIsLentButNotWhatIsKept()
    {
        var pool = new TensorPool();
        using var scope = pool.Scope();
        var a = TensorPool.RentArray<float>(10, clear: false);
        var b = TensorPool.Rent<float>([10], clear: false);
        scope.Keep(b);
        pool.RecycleLent();
        Assert.Equal(1, pool.IdleCount);
        Assert.Same(a, TensorPool.RentArray<float>(10, clear: false));
        Assert.NotSame(b.Data, TensorPool.RentArray<float>(10, clear: false));
        pool.RecycleLent();
        Assert.Equal(2, pool.IdleCount);   // a, and the fresh array lent after it; never b
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("lenet5-plus")]   // batch norm (evaluation: one pass, no x̂), dropout (identity), linear
    public void EvaluationRecyclingItsBuffersGivesTheSameBitsAsFreshArrays(string name)
    {
        // Evaluation lends each batch the previous batch's buffers; inside a caller's open scope it takes fresh
        // arrays from the caller's pool instead (nothing is handed back without a backward). Batches of 3 over
        // 16 images: five full batches on recycled buffers and a short last one.
        using var data = AutoGrad.Tests.Models.Training.SyntheticImages.HalvesSplits(train: 16, test: 16);
        var model = ModelBuilder.Build<float>(ModelZoo.Resolve(name), 2, seed: 4);
        var norm = AutoGrad.Models.Data.Normalization.Compute(data.Train);
        using (GradMode.NoGrad())   // move batch norm's running statistics away from 0 and 1
            for (int s = 0; s < 2; s++)
                model.Forward(Node<float>.Input(new Tensor<float>([4, 1, 28, 28], Enumerable.Range(0, 4 * 784).Select(i => (float)(i % 97) / 40).ToArray())), new ForwardContext(true, new Random(s)));
        var recycled = Evaluation.Run(model, data.Train, norm, batchSize: 3);
        EvaluationResult fresh;
        using (new TensorPool().Scope()) fresh = Evaluation.Run(model, data.Train, norm, batchSize: 3);
        Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.Loss), BitConverter.DoubleToInt64Bits(recycled.Loss));
        Assert.Equal(fresh.Confusion, recycled.Confusion);
        Assert.Equal(16, recycled.Count);
    }

    [Fact]
    public void ScopesDoNotNest()
    {
        var pool = new TensorPool();
        using var step = pool.Scope();
        Assert.Throws<AutoGradException>(() => new TensorPool().Scope());
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("lenet5-plus")]   // batch norm and dropout: buffers saved for backward go back with their node
    public void TrainingStepsAreIdenticalWithAndWithoutPooling(string name)
    {
        float[][] Train(bool pooled)
        {
            var model = ModelBuilder.Build<float>(ModelZoo.Resolve(name), 10, seed: 3);
            var sgd = new Sgd(model.Parameters, momentum: 0.9);
            var pool = new TensorPool();
            var r = new Random(5);
            for (int s = 0; s < 3; s++)
            {
                var x = new Tensor<float>([6, 1, 28, 28], Enumerable.Range(0, 6 * 784).Select(_ => (float)r.NextDouble()).ToArray());
                int[] labels = [1, 2, 3, 4, 5, 6];
                using var step = pooled ? pool.Scope() : null;
                sgd.ZeroGrad(pooled ? pool : null);
                var loss = SoftmaxCrossEntropy.Apply(model.Forward(Node<float>.Input(x), new ForwardContext(true, new Random(s))), labels);
                loss.Backprop();
                sgd.Step(0.05);
            }
            Assert.True(!pooled || pool.IdleCount > 0);
            return model.Parameters.Select(p => (float[])p.Value.Data.Clone()).ToArray();
        }
        var plain = Train(false);
        var pooled = Train(true);
        for (int i = 0; i < plain.Length; i++) Assert.Equal(plain[i], pooled[i]);
    }

    [Fact]
    public void RootThatIsAViewOfItsParentKeepsItsValue()
    {
        // Regression: the root was protected but its parent (whose buffer the root views) was recycled.
        var pool = new TensorPool();
        var x = Node<double>.Input(Tensor<double>.FromArray([2, 3], [1, 2, 3, 4, 5, 6]));
        var w = Node<double>.Parameter(Tensor<double>.FromArray([4, 3], Enumerable.Range(0, 12).Select(i => i * 0.1).ToArray()), "w");
        using (pool.Scope())
        {
            var root = AutoGrad.Ops.Reshape.Apply(AutoGrad.Ops.Linear.Apply(x, w), -1);
            var before = (double[])root.Value.Data.Clone();
            Autograd.Backward(root, Tensor<double>.Full([8], 1.0));
            var other = TensorPool.Rent<double>([2, 4], clear: true);   // same length as the root's buffer
            other.Data.AsSpan().Fill(-7);
            Assert.Equal(before, root.Value.Data);
        }
    }
}
