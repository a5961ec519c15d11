using AutoGrad.Models.Training;
using static AutoGrad.Tests.Models.Training.OptimizerCase;

namespace AutoGrad.Tests.Models.Training;

public class AdamTests
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Eps = 1e-8;

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.1)]
    public void AdamMatchesTheBiasCorrectedTextbookUpdate(double weightDecay)
    {
        // Adam with L2: g ← g + λ·θ; m ← β₁m + (1−β₁)g; v ← β₂v + (1−β₂)g²; θ ← θ − lr·m̂/(√v̂ + ε).
        var w = NewParameter();
        var adam = new Adam([w], weightDecay);
        double[] theta = [.. Start], m = new double[2], v = new double[2];
        for (int t = 0; t < 3; t++)
        {
            Step(adam, w, t);
            for (int i = 0; i < 2; i++)
            {
                double g = Grads[t][i] + weightDecay * theta[i];
                AdamUpdate(ref theta[i], ref m[i], ref v[i], g, Rates[t], t + 1);
            }
            AssertClose(theta, w.Value.Data);
        }
    }

    [Fact]
    public void FirstAdamStepMovesEachWeightByTheLearningRate()
    {
        // With bias correction, step 1 is θ − lr·g/(|g| + ε): a move of lr against the gradient's sign.
        var w = NewParameter();
        Step(new Adam([w]), w, 0);
        AssertClose([Start[0] - Rates[0], Start[1] + Rates[0]], w.Value.Data);
    }

    [Fact]
    public void AdamWDecaysTheWeightsThenTakesAnAdamStep()
    {
        // AdamW: θ ← θ·(1 − lr·λ), then the Adam step from the raw gradient.
        const double lambda = 0.2;
        var w = NewParameter();
        var adamw = new Adam([w], lambda, decoupled: true);
        double[] theta = [.. Start], m = new double[2], v = new double[2];
        for (int t = 0; t < 3; t++)
        {
            Step(adamw, w, t);
            for (int i = 0; i < 2; i++)
            {
                theta[i] *= 1 - Rates[t] * lambda;
                AdamUpdate(ref theta[i], ref m[i], ref v[i], Grads[t][i], Rates[t], t + 1);
            }
            AssertClose(theta, w.Value.Data);
        }
    }

    [Fact]
    public void AdamWDiffersFromAdamWithL2()
    {
        var a = NewParameter();
        var b = NewParameter();
        var adam = new Adam([a], 0.2);
        var adamw = new Adam([b], 0.2, decoupled: true);
        for (int t = 0; t < 3; t++) { Step(adam, a, t); Step(adamw, b, t); }
        Assert.NotEqual(a.Value.Data, b.Value.Data);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ExportedStateContinuesIdentically(bool decoupled)
    {
        var w = NewParameter();
        var original = new Adam([w], 0.01, decoupled);
        Step(original, w, 0);
        Step(original, w, 1);
        var state = original.State().ToDictionary(s => s.Name, s => (float[])s.Data.Clone());
        Assert.Equal(["w.adam_m", "w.adam_v"], state.Keys.Order());
        Assert.Equal(2, original.Steps);

        var copy = NewParameter();
        Array.Copy(w.Value.Data, copy.Value.Data, 2);
        var resumed = new Adam([copy], 0.01, decoupled);
        resumed.LoadState(state, original.Steps);
        Step(original, w, 2);
        Step(resumed, copy, 2);
        Assert.Equal(w.Value.Data, copy.Value.Data);

        // Without the step count, bias correction restarts and the next step differs.
        var forgetful = NewParameter();
        Array.Copy(copy.Value.Data, forgetful.Value.Data, 2);
        var fresh = new Adam([forgetful], 0.01, decoupled);
        fresh.LoadState(resumed.State().ToDictionary(s => s.Name, s => (float[])s.Data.Clone()), 0);
        Step(fresh, forgetful, 2);
        Step(resumed, copy, 2);
        Assert.NotEqual(copy.Value.Data, forgetful.Value.Data);
    }

    private static void AdamUpdate(ref double theta, ref double m, ref double v, double g, double lr, int t)
    {
        m = Beta1 * m + (1 - Beta1) * g;
        v = Beta2 * v + (1 - Beta2) * g * g;
        double mHat = m / (1 - Math.Pow(Beta1, t)), vHat = v / (1 - Math.Pow(Beta2, t));
        theta -= lr * mHat / (Math.Sqrt(vHat) + Eps);
    }
}
