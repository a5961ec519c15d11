namespace AutoGrad.Ops.Kernels;

/// <summary>Applies a binary operator under NumPy broadcasting, one contiguous innermost row at a time.</summary>
public static class BroadcastKernel
{
    /// <summary>A new tensor of the broadcast shape holding a op b element-wise (<typeparamref name="TOp"/> names the operator).</summary>
    public static Tensor<T> Apply<T, TOp>(Tensor<T> a, Tensor<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        var shape = Shapes.Broadcast(a.Shape, b.Shape);
        var result = TensorPool.Rent<T>(shape, clear: false);   // every element is written below
        if (a.SameShape(b))
        {
            TOp.Invoke(a.Data, b.Data, result.Data);
            return result;
        }
        if (b.Length == 1 && a.Length == result.Length) { TOp.Invoke(a.Data, b.Data[0], result.Data); return result; }
        if (a.Length == 1 && b.Length == result.Length) { TOp.Invoke(a.Data[0], b.Data, result.Data); return result; }
        Broadcast<T, TOp>(a, b, result);
        return result;
    }

    private static void Broadcast<T, TOp>(Tensor<T> a, Tensor<T> b, Tensor<T> result)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TOp : struct, IBinaryOperator<T>
    {
        var shape = result.Shape;
        int rank = shape.Length;
        var sa = Unbroadcast.AlignedStrides(a.Shape, shape);
        var sb = Unbroadcast.AlignedStrides(b.Shape, shape);
        int inner = shape[rank - 1];
        int ia = sa[rank - 1], ib = sb[rank - 1];
        var index = new int[rank];
        int offA = 0, offB = 0;
        var ad = a.Data; var bd = b.Data; var rd = result.Data;
        for (int offset = 0; offset < rd.Length; offset += inner)
        {
            var dst = rd.AsSpan(offset, inner);
            if (ia != 0 && ib != 0) TOp.Invoke(ad.AsSpan(offA, inner), bd.AsSpan(offB, inner), dst);
            else if (ia != 0) TOp.Invoke(ad.AsSpan(offA, inner), bd[offB], dst);
            else if (ib != 0) TOp.Invoke(ad[offA], bd.AsSpan(offB, inner), dst);
            else dst.Fill(TOp.Invoke(ad[offA], bd[offB]));
            for (int d = rank - 2; d >= 0; d--)
            {
                index[d]++;
                offA += sa[d]; offB += sb[d];
                if (index[d] < shape[d]) break;
                offA -= sa[d] * shape[d]; offB -= sb[d] * shape[d];
                index[d] = 0;
            }
        }
    }
}
