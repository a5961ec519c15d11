namespace AutoGrad;

/// <summary>
/// How kernels run: the number of worker threads and the convolution algorithm. Immutable; a run makes its
/// settings current with <see cref="Compute.Use"/> and every kernel it calls reads <see cref="Compute.Current"/>,
/// so two runs in one process (on two threads) each see their own. Kernels split work into a number of chunks
/// that depends only on <see cref="Threads"/>, so results are bit-identical for a given thread count.
/// </summary>
public sealed record ComputeSettings
{
    private readonly int threads = Environment.ProcessorCount;

    /// <summary>What kernels use outside any <see cref="Compute.Use"/> scope: every processor, <see cref="ConvAlgorithm.Auto"/>.</summary>
    public static ComputeSettings Default { get; } = new();

    /// <summary>Worker threads kernels may use (≥ 1).</summary>
    public int Threads
    {
        get => threads;
        init
        {
            if (value < 1) throw new AutoGradException($"`{nameof(Threads)}` must be at least 1 (got {value})");
            threads = value;
        }
    }

    /// <summary>Which kernels float convolutions take.</summary>
    public ConvAlgorithm Convolution { get; init; } = ConvAlgorithm.Auto;
}
