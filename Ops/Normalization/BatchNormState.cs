namespace AutoGrad.Ops;

/// <summary>Running statistics of a BatchNorm2d layer, updated in training mode and used in evaluation mode.</summary>
public sealed class BatchNormState<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public BatchNormState(int channels, double momentum = 0.1, double epsilon = 1e-5)
    {
        RunningMean = new Tensor<T>(channels);
        RunningVar = Tensor<T>.Full([channels], T.One);
        Momentum = momentum;
        Epsilon = epsilon;
    }

    public Tensor<T> RunningMean { get; }
    /// <summary>Running unbiased variance (n/(n−1) correction), as PyTorch keeps it.</summary>
    public Tensor<T> RunningVar { get; }
    public double Momentum { get; }
    public double Epsilon { get; }
    public int Channels => RunningMean.Length;
}
