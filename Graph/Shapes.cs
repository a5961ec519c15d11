namespace AutoGrad;

/// <summary>Shape arithmetic shared by tensors, ops and the engine: sizes, NumPy broadcasting, formatting.</summary>
public static class Shapes
{
    /// <summary>Number of elements (the product of the dimensions); more than <see cref="Array.MaxLength"/> is an error.</summary>
    public static int Size(ReadOnlySpan<int> shape)
    {
        long size = 1;
        foreach (int d in shape)
        {
            size *= d;
            if (size > Array.MaxLength) throw new AutoGradException($"shape {Format(shape)} has more than {Array.MaxLength} elements");
        }
        return (int)size;
    }

    /// <summary>Rejects a negative dimension with an <see cref="AutoGradException"/>.</summary>
    public static void Validate(ReadOnlySpan<int> shape)
    {
        foreach (int d in shape)
            if (d < 0) throw new AutoGradException($"shape {Format(shape)} has a negative dimension");
    }

    /// <summary>True when both shapes have the same dimensions.</summary>
    public static bool Equal(ReadOnlySpan<int> a, ReadOnlySpan<int> b) => a.SequenceEqual(b);

    /// <summary>The shape as <c>[2, 3]</c>, as every error message prints it.</summary>
    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>Row-major strides (in elements) of a contiguous tensor.</summary>
    public static int[] Strides(ReadOnlySpan<int> shape)
    {
        var strides = new int[shape.Length];
        int s = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
        return strides;
    }

    /// <summary>Row-major element offset of a full <paramref name="index"/>; a wrong rank or an index out of range is an error.</summary>
    public static int Offset(ReadOnlySpan<int> shape, ReadOnlySpan<int> index)
    {
        if (index.Length != shape.Length) throw new AutoGradException($"index of rank {index.Length} for shape {Format(shape)}");
        int offset = 0;
        for (int i = 0; i < shape.Length; i++)
        {
            if ((uint)index[i] >= (uint)shape[i]) throw new AutoGradException($"index {Format(index)} out of range for shape {Format(shape)}");
            offset = offset * shape[i] + index[i];
        }
        return offset;
    }

    /// <summary>NumPy broadcasting: align trailing dimensions; each pair must be equal or contain a 1.</summary>
    public static int[] Broadcast(ReadOnlySpan<int> a, ReadOnlySpan<int> b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            int db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new AutoGradException($"shapes {Format(a)} and {Format(b)} cannot be broadcast (dimension {i}: {da} vs {db})");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>True when <paramref name="from"/> broadcasts to exactly <paramref name="to"/>.</summary>
    public static bool BroadcastsTo(ReadOnlySpan<int> from, ReadOnlySpan<int> to)
    {
        if (from.Length > to.Length) return false;
        int lead = to.Length - from.Length;
        for (int i = 0; i < from.Length; i++)
            if (from[i] != 1 && from[i] != to[lead + i]) return false;
        return true;
    }

    /// <summary>Resolves one -1 in <paramref name="shape"/> so the size equals <paramref name="length"/>.</summary>
    public static int[] Infer(ReadOnlySpan<int> shape, int length, ReadOnlySpan<int> from)
    {
        var result = shape.ToArray();
        int unknown = -1, known = 1;
        for (int i = 0; i < result.Length; i++)
        {
            if (result[i] == -1)
            {
                if (unknown >= 0) throw new AutoGradException($"reshape to {Format(shape)}: only one dimension may be -1");
                unknown = i;
            }
            else if (result[i] < 0) throw new AutoGradException($"reshape to {Format(shape)}: negative dimension");
            else known *= result[i];
        }
        if (unknown >= 0)
        {
            if (known == 0 || length % known != 0)
                throw new AutoGradException($"cannot reshape {Format(from)} ({length} elements) to {Format(shape)}");
            result[unknown] = length / known;
        }
        if (Size(result) != length)
            throw new AutoGradException($"cannot reshape {Format(from)} ({length} elements) to {Format(shape)}");
        return result;
    }

    /// <summary>Normalises a possibly negative axis against <paramref name="rank"/>.</summary>
    public static int Axis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new AutoGradException($"axis {axis} out of range for rank {rank}");
        return a;
    }
}
