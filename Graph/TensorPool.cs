using System.Numerics;

namespace AutoGrad;

/// <summary>
/// Reuses op outputs and gradients from one training step in the next, so a steady-state step allocates
/// (almost) nothing. Off unless a caller opts in with <c>using var step = pool.Scope();</c> on its thread;
/// with no scope open, <see cref="Rent{T}"/> is plain <c>new</c> and nothing is ever recycled.
/// <para>Ownership rule (see docs/architecture.md, "Buffer pooling"). Inside a scope the pool lends buffers
/// to ops. A lent buffer comes back only when the engine can prove no one reads it any more: backward
/// (without retainGraph) returns a released interior node's value (unless the value is a view of a
/// parent's, or the node is the root), the node's scratch, and every gradient the engine owned once it has
/// been consumed. Never returned: leaf values, leaf gradients (an adopted gradient becomes the parameter's
/// and the pool forgets it), the root's value, views of buffers it did not lend, and anything passed to
/// <see cref="Keep{T}"/>. When the scope ends, buffers still lent are forgotten (left to the GC), never
/// reused. So a value read after backward — the logits for accuracy, an activation for a plot — must be
/// kept. <see cref="Recycle{T}"/> is the one explicit hand-back, for a buffer its caller knows is dead.</para>
/// </summary>
public sealed class TensorPool
{
    [ThreadStatic] private static TensorPool? current;

    private readonly Dictionary<(Type, int), Stack<Array>> free = [];
    private readonly HashSet<Array> idle = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Array> lent = new(ReferenceEqualityComparer.Instance);

    /// <summary>The pool whose scope is open on this thread, if any.</summary>
    public static TensorPool? Current => current;

    /// <summary>
    /// For tests: fill every buffer with NaN (int buffers with <see cref="int.MinValue"/>) as it comes back to
    /// this pool, so a value read after its buffer was handed back, or a rented buffer assumed to be zero,
    /// shows up instead of silently reading recycled numbers. Per pool; off by default, and costs one test of
    /// this flag per hand-back when off.
    /// </summary>
    public bool PoisonReturned { get; init; }

    /// <summary>Buffers waiting to be reused (for tests and diagnostics).</summary>
    public int IdleCount => idle.Count;

    /// <summary>Makes this pool the current one on this thread until the scope is disposed.</summary>
    public TensorPoolScope Scope()
    {
        if (current is not null) throw new AutoGradException("a tensor pool scope is already open on this thread");
        current = this;
        return new TensorPoolScope(this);
    }

    internal void Close()
    {
        lent.Clear();
        current = null;
    }

    /// <summary>A tensor of <paramref name="shape"/>: from the current pool when a scope is open (zeroed only when <paramref name="clear"/>), else new and zeroed.</summary>
    public static Tensor<T> Rent<T>(int[] shape, bool clear) where T : unmanaged, IFloatingPointIeee754<T>
        => current is null ? new Tensor<T>(shape) : new Tensor<T>(shape, RentArray<T>(Shapes.Size(shape), clear));

    /// <summary>A scratch array of exactly <paramref name="length"/> elements, on the same terms as <see cref="Rent{T}"/>.</summary>
    public static TE[] RentArray<TE>(int length, bool clear) where TE : unmanaged
    {
        var pool = current;
        if (pool is null) return new TE[length];
        TE[] array;
        if (pool.free.TryGetValue((typeof(TE), length), out var stack) && stack.Count > 0)
        {
            array = (TE[])stack.Pop();
            pool.idle.Remove(array);
            if (clear) array.AsSpan().Clear();
        }
        else array = new TE[length];
        pool.lent.Add(array);
        return array;
    }

    /// <summary>Promises that <paramref name="tensor"/>'s buffer will be read after backward: the pool never takes it back.</summary>
    public void Keep<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T> => lent.Remove(tensor.Data);

    /// <summary>
    /// Hands back a buffer its caller knows nobody will read again (e.g. a parameter gradient being
    /// zeroed), whether or not this pool lent it. A buffer already idle is ignored.
    /// </summary>
    public void Recycle<T>(Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        lent.Remove(tensor.Data);
        Push(tensor.Data);
    }

    /// <summary>
    /// Hands back every buffer this pool has lent and not had back, for a forward-only pass (evaluation, under
    /// <see cref="GradMode.NoGrad"/>) once its caller has read what it needs: no backward will return them, and
    /// the next batch of the same shapes reuses them instead of allocating (and page-faulting) fresh arrays.
    /// Buffers passed to <see cref="Keep{T}"/> stay out.
    /// </summary>
    public void RecycleLent()
    {
        foreach (var array in lent) Push(array);
        lent.Clear();
    }

    /// <summary>The engine's hand-back: takes the buffer only if the current pool lent it and has not got it back.</summary>
    internal static void Return(Array? array)
    {
        if (array is not null && current is { } pool && pool.lent.Remove(array)) pool.Push(array);
    }

    /// <summary>The engine's hand-off to a leaf: the buffer is the leaf's now, never to be reused.</summary>
    internal static void Forget(Array array) => current?.lent.Remove(array);

    private void Push(Array array)
    {
        if (!idle.Add(array)) return;
        if (PoisonReturned) Poison(array);
        var key = (array.GetType().GetElementType()!, array.Length);
        if (!free.TryGetValue(key, out var stack)) free[key] = stack = new Stack<Array>();
        stack.Push(array);
    }

    private static void Poison(Array array)
    {
        switch (array)
        {
            case float[] f: f.AsSpan().Fill(float.NaN); break;
            case double[] d: d.AsSpan().Fill(double.NaN); break;
            case int[] i: i.AsSpan().Fill(int.MinValue); break;
        }
    }
}
