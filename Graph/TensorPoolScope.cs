namespace AutoGrad;

/// <summary>One training step's use of a <see cref="TensorPool"/>; disposing it forgets buffers still lent.</summary>
public sealed class TensorPoolScope : IDisposable
{
    private TensorPool? pool;

    internal TensorPoolScope(TensorPool pool) => this.pool = pool;

    /// <summary>The pool this scope lends from; an error once the scope is disposed.</summary>
    public TensorPool Pool => pool ?? throw new ObjectDisposedException(nameof(TensorPoolScope));

    /// <summary>See <see cref="TensorPool.Keep{T}"/>.</summary>
    public void Keep<T>(Tensor<T> tensor) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> => Pool.Keep(tensor);

    /// <summary>Ends the step: the pool forgets the buffers still lent (they stay valid, just not recycled).</summary>
    public void Dispose()
    {
        pool?.Close();
        pool = null;
    }
}
