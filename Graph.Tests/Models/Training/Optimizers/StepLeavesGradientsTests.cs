using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

/// <summary>Optimisers read gradients and never modify them (diagnostics inspect them after the step).</summary>
public class StepLeavesGradientsTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("momentum")]
    [InlineData("nesterov")]
    [InlineData("adam")]
    [InlineData("adamw")]
    public void StepDoesNotChangeTheGradient(string name)
    {
        var p = Node<float>.Parameter(new Tensor<float>([3], [1f, -2f, 3f]), "w");
        Mul(p);
        var before = (float[])p.Grad!.Data.Clone();
        var optimizer = OptimizerFactory.Create(name, [p], momentum: 0.9, weightDecay: 0.1);
        optimizer.Step(0.1);
        optimizer.Step(0.1);
        Assert.Equal(before, p.Grad.Data);
        Assert.NotEqual([1f, -2f, 3f], p.Value.Data);
    }

    private static void Mul(Node<float> p) => AutoGrad.Ops.Sum.Apply(AutoGrad.Ops.Mul.Apply(p, p)).Backprop();
}
