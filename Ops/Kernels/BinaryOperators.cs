namespace AutoGrad.Ops.Kernels;

/// <summary>
/// An element-wise binary operator with a scalar form and vectorised span forms (through TensorPrimitives),
/// so the broadcasting loop is written once for all of them.
/// </summary>
public interface IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>x op y for one pair.</summary>
    static abstract T Invoke(T x, T y);
    /// <summary>destination[i] = x[i] op y[i].</summary>
    static abstract void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> destination);
    /// <summary>destination[i] = x[i] op y.</summary>
    static abstract void Invoke(ReadOnlySpan<T> x, T y, Span<T> destination);
    /// <summary>destination[i] = x op y[i].</summary>
    static abstract void Invoke(T x, ReadOnlySpan<T> y, Span<T> destination);
}

/// <summary>x + y.</summary>
public readonly struct AddOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static T Invoke(T x, T y) => x + y;
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Add(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Add(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Add(y, x, d);
}

/// <summary>x − y.</summary>
public readonly struct SubtractOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static T Invoke(T x, T y) => x - y;
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Subtract(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Subtract(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Subtract(x, y, d);
}

/// <summary>x · y.</summary>
public readonly struct MultiplyOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static T Invoke(T x, T y) => x * y;
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Multiply(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Multiply(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Multiply(y, x, d);
}

/// <summary>x / y.</summary>
public readonly struct DivideOperator<T> : IBinaryOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public static T Invoke(T x, T y) => x / y;
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d) => TP.Divide(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(ReadOnlySpan<T> x, T y, Span<T> d) => TP.Divide(x, y, d);
    /// <inheritdoc/>
    public static void Invoke(T x, ReadOnlySpan<T> y, Span<T> d) => TP.Divide(x, y, d);
}
