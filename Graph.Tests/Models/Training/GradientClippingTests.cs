using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

public class GradientClippingTests
{
    [Fact]
    public void ScalesAllGradientsByTheGlobalNorm()
    {
        // Global norm √(3² + 4² + 12²) = 13; clipping to 6.5 halves every gradient.
        var (a, b, none) = Parameters();
        double norm = GradientClipping.ClipNorm([a, b, none], 6.5);
        Assert.Equal(13, norm, 1e-9);
        Assert.Equal([1.5f, 2f], a.Grad!.Data, new Close(1e-6f));
        Assert.Equal([6f], b.Grad!.Data, new Close(1e-6f));
        Assert.Null(none.Grad);
        Assert.Equal(6.5, Math.Sqrt(a.Grad.Data.Concat(b.Grad.Data).Sum(v => (double)v * v)), 1e-5);
    }

    [Theory]
    [InlineData(13.0)]
    [InlineData(100.0)]
    [InlineData(0.0)]   // 0 = off
    public void LeavesGradientsAloneWhenTheNormIsWithinTheLimit(double maxNorm)
    {
        var (a, b, _) = Parameters();
        Assert.Equal(13, GradientClipping.ClipNorm([a, b], maxNorm), 1e-9);
        Assert.Equal([3f, 4f], a.Grad!.Data);
        Assert.Equal([12f], b.Grad!.Data);
    }

    private static (Node<float>, Node<float>, Node<float>) Parameters()
    {
        var a = Node<float>.Parameter(new Tensor<float>(2), "a");
        var b = Node<float>.Parameter(new Tensor<float>(1), "b");
        var none = Node<float>.Parameter(new Tensor<float>(1), "none");
        a.Grad = new Tensor<float>([2], [3f, 4f]);
        b.Grad = new Tensor<float>([1], [12f]);
        return (a, b, none);
    }

    private sealed class Close(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;
        public int GetHashCode(float obj) => 0;
    }
}
