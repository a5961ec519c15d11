using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

/// <summary>
/// A two-element parameter driven by fixed gradients and learning rates, so tests can compare an optimiser
/// with the textbook update computed independently in double precision.
/// </summary>
internal static class OptimizerCase
{
    public static readonly double[] Start = [0.5, -1.5];
    public static readonly double[][] Grads = [[0.2, -0.4], [-0.1, 0.3], [0.05, 0.25]];
    public static readonly double[] Rates = [0.1, 0.05, 0.2];

    public static Node<float> NewParameter(string name = "w") =>
        Node<float>.Parameter(new Tensor<float>([2], Start.Select(v => (float)v).ToArray()), name);

    /// <summary>Sets the gradient and takes one step with the rate of step <paramref name="step"/>.</summary>
    public static void Step(Optimizer optimizer, Node<float> parameter, int step)
    {
        parameter.Grad = new Tensor<float>([2], Grads[step].Select(v => (float)v).ToArray());
        optimizer.Step(Rates[step]);
    }

    public static void AssertClose(double[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6 * Math.Max(1, Math.Abs(expected[i])), $"element {i}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
