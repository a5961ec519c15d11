using AutoGrad.Ops.Kernels;

namespace AutoGrad.Tests.Kernels;

/// <summary>The shared log-sum-exp kernel against the textbook formula, where that formula can still be evaluated, and past where it overflows.</summary>
public class LogSumExpTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(40)]
    public void MatchesTheTextbookFormula(int length)
    {
        var r = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => (float)(r.NextDouble() * 8 - 4)).ToArray();
        var exps = new float[length];
        float sum = LogSumExp.ShiftedExp<float>(x, exps, out float max);
        Assert.Equal(x.Max(), max);
        double lse = Math.Log(x.Sum(v => Math.Exp(v)));
        Assert.Equal(lse, max + Math.Log(sum), 2e-6 * Math.Abs(lse) + 1e-6);
        for (int i = 0; i < length; i++) Assert.Equal(Math.Exp(x[i] - x.Max()), exps[i], 1e-6);
    }

    [Fact]
    public void LargeLogitsDoNotOverflow()
    {
        double[] x = [1000, 999, -1000];
        var exps = new double[3];
        double sum = LogSumExp.ShiftedExp<double>(x, exps, out double max);
        Assert.Equal(1000 + Math.Log(1 + Math.Exp(-1)), max + Math.Log(sum), 12);
        Assert.Equal(1.0, exps[0]);
    }

    [Fact]
    public void WorksInPlace()
    {
        float[] x = [1, 2, 3];
        float sum = LogSumExp.ShiftedExp<float>(x, x, out float max);
        Assert.Equal(3, max);
        Assert.Equal(1 + MathF.Exp(-1) + MathF.Exp(-2), sum, 6);
        Assert.Equal(1, x[2]);
    }
}
