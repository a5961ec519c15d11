using System.Numerics;

namespace AutoGrad;

/// <summary>
/// A dense, contiguous, row-major n-dimensional array. <typeparamref name="T"/> is <c>float</c> for
/// training and <c>double</c> for gradient checks; every op has one generic implementation for both (the
/// kernels under the heaviest ops differ by type: see docs/architecture.md).
/// A tensor never changes shape; <see cref="Reshape"/> returns a view over the same storage.
/// </summary>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int[] shape;

    /// <summary>Creates a zero-filled tensor of the given shape.</summary>
    public Tensor(params int[] shape) : this(shape, new T[Shapes.Size(shape)]) { }

    /// <summary>Wraps <paramref name="data"/> (not copied) with the given shape.</summary>
    public Tensor(int[] shape, T[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        Shapes.Validate(shape);
        if (data.Length != Shapes.Size(shape))
            throw new AutoGradException($"tensor data has {data.Length} elements but shape {Shapes.Format(shape)} needs {Shapes.Size(shape)}");
        this.shape = (int[])shape.Clone();
        Data = data;
    }

    /// <summary>The dimensions, outermost first. Do not mutate the returned array.</summary>
    public int[] Shape => shape;

    /// <summary>The backing storage, row-major.</summary>
    public T[] Data { get; }

    /// <summary>Number of dimensions (0 for a scalar).</summary>
    public int Rank => shape.Length;
    /// <summary>Number of elements.</summary>
    public int Length => Data.Length;
    /// <summary>The storage as a span.</summary>
    public Span<T> Span => Data;

    /// <summary>Element access by full index (slow path, for tests and small tensors).</summary>
    public T this[params int[] index]
    {
        get => Data[Shapes.Offset(shape, index)];
        set => Data[Shapes.Offset(shape, index)] = value;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar(T value) => new([], [value]);

    /// <summary>A zero-filled tensor of the given shape.</summary>
    public static Tensor<T> Zeros(params int[] shape) => new(shape);

    /// <summary>A tensor of the given shape with every element <paramref name="value"/>.</summary>
    public static Tensor<T> Full(int[] shape, T value)
    {
        var t = new Tensor<T>(shape);
        t.Data.AsSpan().Fill(value);
        return t;
    }

    /// <summary>A tensor of the given shape from row-major <paramref name="values"/>, converted to <typeparamref name="T"/>.</summary>
    public static Tensor<T> FromArray(int[] shape, ReadOnlySpan<double> values)
    {
        var t = new Tensor<T>(shape);
        if (values.Length != t.Length)
            throw new AutoGradException($"{values.Length} values given for shape {Shapes.Format(shape)} ({t.Length} elements)");
        for (int i = 0; i < values.Length; i++) t.Data[i] = T.CreateChecked(values[i]);
        return t;
    }

    /// <summary>A view with another shape over the same storage (sizes must match; one dimension may be -1).</summary>
    public Tensor<T> Reshape(params int[] newShape) => new(Shapes.Infer(newShape, Length, shape), Data);

    /// <summary>A copy with its own storage.</summary>
    public Tensor<T> Clone() => new(shape, (T[])Data.Clone());

    /// <summary>Converts element type (e.g. float weights to double for a gradient audit).</summary>
    public Tensor<TOut> Cast<TOut>() where TOut : unmanaged, IFloatingPointIeee754<TOut>
    {
        var result = new Tensor<TOut>(shape);
        for (int i = 0; i < Data.Length; i++) result.Data[i] = TOut.CreateTruncating(Data[i]);
        return result;
    }

    /// <summary>The single element as a double (the tensor must hold exactly one).</summary>
    public double ToScalar()
    {
        if (Length != 1) throw new AutoGradException($"tensor of shape {Shapes.Format(shape)} is not a scalar");
        return double.CreateTruncating(Data[0]);
    }

    /// <summary>True when no element is NaN or ±∞.</summary>
    public bool AllFinite()
    {
        // A finite sum proves every element finite (NaN and ±∞ propagate) and is one vectorised pass; an
        // overflowing sum of finite values falls back to the element-wise check.
        return T.IsFinite(System.Numerics.Tensors.TensorPrimitives.Sum<T>(Data)) || Array.TrueForAll(Data, T.IsFinite);
    }

    /// <summary>True when both tensors have the same dimensions.</summary>
    public bool SameShape(Tensor<T> other) => Shapes.Equal(shape, other.shape);

    /// <summary>Element type and shape, e.g. <c>Tensor&lt;Single&gt;[2, 3]</c>.</summary>
    public override string ToString() => $"Tensor<{typeof(T).Name}>{Shapes.Format(shape)}";
}
