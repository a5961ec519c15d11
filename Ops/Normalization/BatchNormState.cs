namespace AutoGrad.Ops;

/// <summary>Running statistics of a BatchNorm2d layer, updated in training mode and used in evaluation mode.</summary>
public sealed class BatchNormState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Running mean 0 and variance 1 over <paramref name="channels"/>; each training step moves them by
    /// <paramref name="momentum"/> (PyTorch's convention); <paramref name="epsilon"/> keeps √(σ² + ε) away from 0.</summary>
    public BatchNormState(int channels, double momentum = 0.1, double epsilon = 1e-5)
    {
        RunningMean = new Tensor<T>(channels);
        RunningVar = Tensor<T>.Full([channels], T.One);
        Momentum = momentum;
        Epsilon = epsilon;
    }

    /// <summary>Running mean per channel.</summary>
    public Tensor<T> RunningMean { get; }
    /// <summary>Running unbiased variance (n/(n−1) correction), as PyTorch keeps it.</summary>
    public Tensor<T> RunningVar { get; }
    /// <summary>Weight of the new batch in the running statistics: r ← (1 − m)·r + m·batch.</summary>
    public double Momentum { get; }
    /// <summary>Added to the variance before the square root.</summary>
    public double Epsilon { get; }
    /// <summary>Number of channels.</summary>
    public int Channels => RunningMean.Length;
}
