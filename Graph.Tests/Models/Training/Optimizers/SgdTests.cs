using AutoGrad.Models.Training;
using static AutoGrad.Tests.Models.Training.OptimizerCase;

namespace AutoGrad.Tests.Models.Training;

public class SgdTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void PlainSgdMatchesTheTextbook(double weightDecay)
    {
        var w = NewParameter();
        var sgd = new Sgd([w], weightDecay: weightDecay);
        double[] theta = [.. Start];
        for (int t = 0; t < 3; t++)
        {
            Step(sgd, w, t);
            for (int i = 0; i < 2; i++) theta[i] -= Rates[t] * (Grads[t][i] + weightDecay * theta[i]);
            AssertClose(theta, w.Value.Data);
        }
        Assert.Equal(3, sgd.Steps);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void MomentumFollowsPyTorch(double weightDecay)
    {
        // v ← μ·v + g (g includes λ·θ), θ ← θ − lr·v, with v starting at 0.
        const double mu = 0.9;
        var w = NewParameter();
        var sgd = new Sgd([w], mu, nesterov: false, weightDecay);
        double[] theta = [.. Start], v = new double[2];
        for (int t = 0; t < 3; t++)
        {
            Step(sgd, w, t);
            for (int i = 0; i < 2; i++)
            {
                double g = Grads[t][i] + weightDecay * theta[i];
                v[i] = mu * v[i] + g;
                theta[i] -= Rates[t] * v[i];
            }
            AssertClose(theta, w.Value.Data);
        }
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.01)]
    public void NesterovFollowsPyTorch(double weightDecay)
    {
        // v ← μ·v + g, θ ← θ − lr·(g + μ·v).
        const double mu = 0.8;
        var w = NewParameter();
        var sgd = new Sgd([w], mu, nesterov: true, weightDecay);
        double[] theta = [.. Start], v = new double[2];
        for (int t = 0; t < 3; t++)
        {
            Step(sgd, w, t);
            for (int i = 0; i < 2; i++)
            {
                double g = Grads[t][i] + weightDecay * theta[i];
                v[i] = mu * v[i] + g;
                theta[i] -= Rates[t] * (g + mu * v[i]);
            }
            AssertClose(theta, w.Value.Data);
        }
    }

    [Fact]
    public void ParametersWithoutGradientsAreLeftAlone()
    {
        var a = NewParameter("a");
        var b = NewParameter("b");
        var sgd = new Sgd([a, b], 0.9);
        Step(sgd, a, 0);
        AssertClose(Start, b.Value.Data);
        Assert.DoesNotContain(sgd.State(), s => s.Name == "b.momentum");
    }

    [Fact]
    public void ExportedStateContinuesIdentically()
    {
        var w = NewParameter();
        var original = new Sgd([w], 0.9, nesterov: true);
        Step(original, w, 0);
        Step(original, w, 1);
        var state = original.State().ToDictionary(s => s.Name, s => (float[])s.Data.Clone());
        Assert.Equal(["w.momentum"], state.Keys);

        var copy = NewParameter();
        Array.Copy(w.Value.Data, copy.Value.Data, 2);
        var resumed = new Sgd([copy], 0.9, nesterov: true);
        resumed.LoadState(state, original.Steps);
        Step(original, w, 2);
        Step(resumed, copy, 2);
        Assert.Equal(w.Value.Data, copy.Value.Data);
        Assert.Equal(3, resumed.Steps);
    }

    [Fact]
    public void LoadStateRejectsAWrongLength()
    {
        var sgd = new Sgd([NewParameter()], 0.9);
        var e = Assert.Throws<AutoGradException>(() => sgd.LoadState(new Dictionary<string, float[]> { ["w.momentum"] = new float[3] }, 1));
        Assert.Contains("w.momentum", e.Message);
    }

    [Theory]
    [InlineData(1.0, false, 0.0, "`Momentum`")]
    [InlineData(-0.1, false, 0.0, "`Momentum`")]
    [InlineData(0.0, true, 0.0, "nesterov")]
    [InlineData(0.9, false, -1e-4, "`WeightDecay`")]
    public void BadHyperparametersNameTheFlag(double momentum, bool nesterov, double weightDecay, string flag)
    {
        var e = Assert.Throws<AutoGradException>(() => new Sgd([NewParameter()], momentum, nesterov, weightDecay));
        Assert.Contains(flag, e.Message);
    }

    [Fact]
    public void FactoryMapsNamesAndRejectsUnknownOnes()
    {
        var p = new[] { NewParameter() };
        Assert.Equal(0, Assert.IsType<Sgd>(OptimizerFactory.Create("sgd", p, 0.9, 0)).Momentum);
        Assert.False(Assert.IsType<Sgd>(OptimizerFactory.Create("momentum", p, 0.9, 0)).Nesterov);
        Assert.True(Assert.IsType<Sgd>(OptimizerFactory.Create("nesterov", p, 0.9, 0)).Nesterov);
        Assert.False(Assert.IsType<Adam>(OptimizerFactory.Create("adam", p, 0.9, 0)).Decoupled);
        Assert.True(Assert.IsType<Adam>(OptimizerFactory.Create("adamw", p, 0.9, 0.01)).Decoupled);
        var e = Assert.Throws<AutoGradException>(() => OptimizerFactory.Create("rmsprop", p, 0.9, 0));
        Assert.Contains("`Optimizer`", e.Message);
        Assert.Contains("rmsprop", e.Message);
    }
}
