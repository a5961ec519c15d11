namespace AutoGrad.Ops;

/// <summary>A span → span kernel, as TensorPrimitives methods are.</summary>
public delegate void SpanMap<T>(ReadOnlySpan<T> source, Span<T> destination);

/// <summary>Small helpers shared by the element-wise ops: allocate an output and run a span kernel over it.</summary>
internal static class Unary
{
    /// <summary>Element-wise work below this many elements per chunk is not worth a second thread.</summary>
    public const int ParallelGrain = 1 << 16;

    /// <summary>Runs <paramref name="kernel"/> over x into a new tensor, in fixed chunks (element-wise, so chunking cannot change the result).</summary>
    public static Tensor<T> Map<T>(Tensor<T> x, SpanMap<T> kernel) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = TensorPool.Rent<T>(x.Shape, clear: false);   // the kernel writes every element
        var (src, dst) = (x.Data, result.Data);
        Threading.For(src.Length, ParallelGrain, (_, start, end) => kernel(src.AsSpan(start, end - start), dst.AsSpan(start, end - start)));
        return result;
    }

    /// <summary>grad ⊙ local, the VJP of every element-wise op.</summary>
    public static Tensor<T> Times<T>(Tensor<T> grad, Tensor<T> local) where T : unmanaged, IFloatingPointIeee754<T>
    {
        TP.Multiply(grad.Data, local.Data, local.Data);
        return local;
    }

    public static Tensor<T> Elementwise<T>(Tensor<T> x, Func<T, T> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = TensorPool.Rent<T>(x.Shape, clear: true);
        var s = x.Data; var d = result.Data;
        for (int i = 0; i < s.Length; i++) d[i] = f(s[i]);
        return result;
    }
}
