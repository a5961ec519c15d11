using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace AutoGrad.Ops.Kernels;

/// <summary>
/// The element-wise passes of batch normalisation, one pass over a plane where separate
/// <see cref="System.Numerics.Tensors.TensorPrimitives"/> calls made three or four: the activations of the 28×28
/// layers do not stay in cache between passes. Each element goes through the same IEEE operations in the same
/// order as the separate calls did (no fused multiply-add), so the results are the same bits.
/// </summary>
public static class BatchNormKernel
{
    /// <summary>x̂[i] ← x̂[i]·<paramref name="invStd"/>, then y[i] = x̂[i]·γ + β (each product and sum rounded on its own).</summary>
    public static void NormalizeAffine<T>(Span<T> xhat, T invStd, T gamma, T beta, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T h = ref MemoryMarshal.GetReference(xhat);
        ref T o = ref MemoryMarshal.GetReference(y);
        int n = xhat.Length, i = 0;
        Debug.Assert(y.Length >= n, "BatchNormKernel.NormalizeAffine: y shorter than x̂");
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (s, g, b) = (Vector512.Create(invStd), Vector512.Create(gamma), Vector512.Create(beta));
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
            {
                var v = Vector512.LoadUnsafe(ref h, (nuint)i) * s;
                v.StoreUnsafe(ref h, (nuint)i);
                (v * g + b).StoreUnsafe(ref o, (nuint)i);
            }
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (s, g, b) = (Vector256.Create(invStd), Vector256.Create(gamma), Vector256.Create(beta));
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
            {
                var v = Vector256.LoadUnsafe(ref h, (nuint)i) * s;
                v.StoreUnsafe(ref h, (nuint)i);
                (v * g + b).StoreUnsafe(ref o, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            T v = Unsafe.Add(ref h, i) * invStd;
            Unsafe.Add(ref h, i) = v;
            Unsafe.Add(ref o, i) = v * gamma + beta;
        }
    }

    /// <summary>
    /// Evaluation with nothing to backpropagate: y[i] = ((x[i] − <paramref name="mean"/>)·<paramref name="invStd"/>)·γ + β in one
    /// pass, without writing x̂ (the same roundings as a subtraction into x̂ followed by <see cref="NormalizeAffine{T}(Span{T}, T, T, T, Span{T})"/>).
    /// </summary>
    public static void NormalizeAffine<T>(ReadOnlySpan<T> x, T mean, T invStd, T gamma, T beta, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T s = ref MemoryMarshal.GetReference(x);
        ref T o = ref MemoryMarshal.GetReference(y);
        int n = x.Length, i = 0;
        Debug.Assert(y.Length >= n, "BatchNormKernel.NormalizeAffine: y shorter than x");
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (m, r, g, b) = (Vector512.Create(mean), Vector512.Create(invStd), Vector512.Create(gamma), Vector512.Create(beta));
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                (((Vector512.LoadUnsafe(ref s, (nuint)i) - m) * r) * g + b).StoreUnsafe(ref o, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (m, r, g, b) = (Vector256.Create(mean), Vector256.Create(invStd), Vector256.Create(gamma), Vector256.Create(beta));
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (((Vector256.LoadUnsafe(ref s, (nuint)i) - m) * r) * g + b).StoreUnsafe(ref o, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref o, i) = ((Unsafe.Add(ref s, i) - mean) * invStd) * gamma + beta;
    }

    /// <summary>
    /// The training-mode input gradient for one plane: d[i] = ((x̂[i]·<paramref name="xhatScale"/> + g[i]) − <paramref name="shift"/>)·<paramref name="scale"/>,
    /// with x̂ scale −Σ(g·x̂)/M, shift Σg/M and scale γ/σ̂ (see <see cref="BatchNorm2d"/>).
    /// </summary>
    public static void InputGrad<T>(ReadOnlySpan<T> xhat, ReadOnlySpan<T> grad, T xhatScale, T shift, T scale, Span<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T h = ref MemoryMarshal.GetReference(xhat);
        ref T g = ref MemoryMarshal.GetReference(grad);
        ref T d = ref MemoryMarshal.GetReference(dx);
        int n = dx.Length, i = 0;
        Debug.Assert(xhat.Length >= n && grad.Length >= n, "BatchNormKernel.InputGrad: x̂ or grad shorter than dx");
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
        {
            var (a, c, s) = (Vector512.Create(xhatScale), Vector512.Create(shift), Vector512.Create(scale));
            for (; i + Vector512<T>.Count <= n; i += Vector512<T>.Count)
                ((Vector512.LoadUnsafe(ref h, (nuint)i) * a + Vector512.LoadUnsafe(ref g, (nuint)i) - c) * s).StoreUnsafe(ref d, (nuint)i);
        }
        else if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
        {
            var (a, c, s) = (Vector256.Create(xhatScale), Vector256.Create(shift), Vector256.Create(scale));
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                ((Vector256.LoadUnsafe(ref h, (nuint)i) * a + Vector256.LoadUnsafe(ref g, (nuint)i) - c) * s).StoreUnsafe(ref d, (nuint)i);
        }
        for (; i < n; i++) Unsafe.Add(ref d, i) = (Unsafe.Add(ref h, i) * xhatScale + Unsafe.Add(ref g, i) - shift) * scale;
    }
}
