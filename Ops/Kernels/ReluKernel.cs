using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Ops.Kernels;

/// <summary>ReLU's VJP: dx = grad where the saved output is positive, else 0 (subgradient 0 at 0, as PyTorch).</summary>
public static class ReluKernel
{
    /// <summary>dx[i] = grad[i] where output[i] &gt; 0, else 0; vectorised with the widest available vectors.</summary>
    public static void Backward<T>(ReadOnlySpan<T> output, ReadOnlySpan<T> grad, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T o = ref MemoryMarshal.GetReference(output);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T d = ref MemoryMarshal.GetReference(dx);
        int n = dx.Length, i = 0;
        // Debug only: the vector and scalar loops read n elements of output and grad through refs.
        Debug.Assert(output.Length >= n && grad.Length >= n, "ReluKernel.Backward: output or grad shorter than dx");
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var keep = Vector512.GreaterThan(Vector512.LoadUnsafe(ref o, (nuint)i), Vector512<T>.Zero);
                (keep & Vector512.LoadUnsafe(ref g, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var keep = Vector256.GreaterThan(Vector256.LoadUnsafe(ref o, (nuint)i), Vector256<T>.Zero);
                (keep & Vector256.LoadUnsafe(ref g, (nuint)i)).StoreUnsafe(ref d, (nuint)i);
            }
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref o, i) > T.Zero ? Unsafe.Add(ref g, i) : T.Zero;
    }
}
