using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Broadcast bookkeeping shared by the engine and the reduction ops: summing a gradient back to the
/// shape of an input that was broadcast, and expanding a tensor to a broadcast shape.
/// </summary>
public static class Unbroadcast
{
    /// <summary>
    /// Sums <paramref name="source"/> over the dimensions that broadcasting added or stretched, giving
    /// <paramref name="target"/> (which must broadcast to the source's shape).
    /// </summary>
    public static Tensor<T> ReduceTo<T>(Tensor<T> source, int[] target) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Shapes.BroadcastsTo(target, source.Shape))
            throw new AutoGradException($"gradient of shape {Shapes.Format(source.Shape)} cannot be reduced to input shape {Shapes.Format(target)}");
        var result = new Tensor<T>(target);
        var outStrides = AlignedStrides(target, source.Shape);
        var src = source.Data;
        var dst = result.Data;
        ForEachOffset(source.Shape, outStrides, (srcOffset, dstOffset, run, dstStep) =>
        {
            if (dstStep == 0)
            {
                T acc = T.Zero;
                for (int i = 0; i < run; i++) acc += src[srcOffset + i];
                dst[dstOffset] += acc;
            }
            else
            {
                for (int i = 0; i < run; i++) dst[dstOffset + i] += src[srcOffset + i];
            }
        });
        return result;
    }

    /// <summary>Expands <paramref name="source"/> to <paramref name="shape"/> by NumPy broadcasting (a copy).</summary>
    public static Tensor<T> ExpandTo<T>(Tensor<T> source, int[] shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!Shapes.BroadcastsTo(source.Shape, shape))
            throw new AutoGradException($"shape {Shapes.Format(source.Shape)} cannot be broadcast to {Shapes.Format(shape)}");
        var result = new Tensor<T>(shape);
        var srcStrides = AlignedStrides(source.Shape, shape);
        var src = source.Data;
        var dst = result.Data;
        ForEachOffset(shape, srcStrides, (dstOffset, srcOffset, run, srcStep) =>
        {
            if (srcStep == 0) dst.AsSpan(dstOffset, run).Fill(src[srcOffset]);
            else src.AsSpan(srcOffset, run).CopyTo(dst.AsSpan(dstOffset, run));
        });
        return result;
    }

    /// <summary>Strides of <paramref name="small"/> laid against <paramref name="full"/>'s dimensions, 0 where broadcast.</summary>
    public static int[] AlignedStrides(int[] small, int[] full)
    {
        var own = Shapes.Strides(small);
        var strides = new int[full.Length];
        int lead = full.Length - small.Length;
        for (int i = 0; i < small.Length; i++)
            strides[lead + i] = small[i] == 1 && full[lead + i] != 1 ? 0 : own[i];
        return strides;
    }

    /// <summary>
    /// Walks the contiguous tensor of <paramref name="shape"/> one innermost row at a time, calling
    /// <paramref name="row"/>(offset, otherOffset, rowLength, otherInnerStride) where the other offset
    /// follows <paramref name="otherStrides"/> (0 strides for broadcast dimensions).
    /// </summary>
    public static void ForEachOffset(int[] shape, int[] otherStrides, Action<int, int, int, int> row)
    {
        int rank = shape.Length;
        if (rank == 0) { row(0, 0, 1, 0); return; }
        int size = Shapes.Size(shape);
        if (size == 0) return;
        int inner = shape[rank - 1], innerStride = otherStrides[rank - 1];
        var index = new int[rank];
        int otherOffset = 0;
        for (int offset = 0; offset < size; offset += inner)
        {
            row(offset, otherOffset, inner, innerStride);
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                otherOffset += otherStrides[d];
                if (index[d] < shape[d]) break;
                otherOffset -= otherStrides[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
