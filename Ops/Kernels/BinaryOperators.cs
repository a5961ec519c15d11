namespace AutoGrad.Ops.Kernels;

/// <summary>
/// An element-wise binary operator with a scalar form and vectorised span forms (through TensorPrimitives),
/// so the broadcasting loop is written once for all of them.
/// </summary>
public interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    static abstract T Invoke(T x, T y);
    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);
    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);
    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}

public readonly struct AddOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x + y;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Add(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Add(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Add(y, x, d);
}

public readonly struct SubtractOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x - y;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Subtract(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Subtract(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Subtract(x, y, d);
}

public readonly struct MultiplyOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x * y;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Multiply(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Multiply(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Multiply(y, x, d);
}

public readonly struct DivideOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Invoke(T x, T y) => x / y;
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Divide(x, y, d);
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Divide(x, y, d);
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Divide(x, y, d);
}
