namespace AutoGrad.Ops.Kernels;

/// <summary>A per-line kernel: reads one line along the axis and writes one line of the same length.</summary>
public delegate void LineKernel<T>(ReadOnlySpan<T> source, Span<T> destination);
/// <summary>A per-line kernel over two aligned lines (e.g. an output and its gradient).</summary>
public delegate void LineKernel2<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> destination);

/// <summary>
/// Runs a kernel over every line along an axis. Lines along the last axis are contiguous and passed
/// in place; other lines are gathered into scratch buffers and scattered back.
/// </summary>
public static class AxisLoops
{
    /// <summary>Runs <paramref name="kernel"/> on each line of <paramref name="source"/> along the layout's axis, writing <paramref name="destination"/>.</summary>
    public static void ForEachLine<T>(AxisLayout l, T[] source, T[] destination, LineKernel<T> kernel)
    {
        if (l.Inner == 1)
        {
            for (int o = 0; o < l.Outer; o++) kernel(source.AsSpan(o * l.Length, l.Length), destination.AsSpan(o * l.Length, l.Length));
            return;
        }
        var src = new T[l.Length]; var dst = new T[l.Length];
        for (int o = 0; o < l.Outer; o++)
            for (int n = 0; n < l.Inner; n++)
            {
                int start = l.Offset(o, n);
                for (int i = 0; i < l.Length; i++) src[i] = source[start + i * l.Inner];
                kernel(src, dst);
                for (int i = 0; i < l.Length; i++) destination[start + i * l.Inner] = dst[i];
            }
    }

    /// <summary>Runs <paramref name="kernel"/> on each pair of aligned lines of <paramref name="a"/> and <paramref name="b"/>, writing <paramref name="destination"/>.</summary>
    public static void ForEachLine<T>(AxisLayout l, T[] a, T[] b, T[] destination, LineKernel2<T> kernel)
    {
        if (l.Inner == 1)
        {
            for (int o = 0; o < l.Outer; o++)
                kernel(a.AsSpan(o * l.Length, l.Length), b.AsSpan(o * l.Length, l.Length), destination.AsSpan(o * l.Length, l.Length));
            return;
        }
        var la = new T[l.Length]; var lb = new T[l.Length]; var dst = new T[l.Length];
        for (int o = 0; o < l.Outer; o++)
            for (int n = 0; n < l.Inner; n++)
            {
                int start = l.Offset(o, n);
                for (int i = 0; i < l.Length; i++) { la[i] = a[start + i * l.Inner]; lb[i] = b[start + i * l.Inner]; }
                kernel(la, lb, dst);
                for (int i = 0; i < l.Length; i++) destination[start + i * l.Inner] = dst[i];
            }
    }
}
