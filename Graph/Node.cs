using System.Numerics;
using System.Threading;

namespace AutoGrad;

/// <summary>
/// Vector-Jacobian product of one op: receives the upstream gradient <c>grad</c> (shaped like the op's
/// output) and returns one gradient per input, or null for an input that needs none. A returned gradient
/// may have the output's broadcast shape; the engine reduces it to the input's shape.
/// </summary>
public delegate Tensor<T>?[] BackwardFn<T>(Tensor<T> grad) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>What kind of value a node holds.</summary>
public enum NodeKind
{
    /// <summary>Data fed in (images, labels as values); gets a gradient only when asked.</summary>
    Input,
    /// <summary>A trainable leaf whose gradient accumulates.</summary>
    Parameter,
    /// <summary>A fixed leaf that never gets a gradient.</summary>
    Constant,
    /// <summary>The output of an op, with the op's backward while it requires a gradient.</summary>
    Op,
}

/// <summary>
/// A vertex of the computation DAG: a value, its gradient, the op and inputs that produced it and the
/// op's registered backward. Activations are NCHW.
/// </summary>
public sealed class Node<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private static long nextId;

    private Node(NodeKind kind, string op, Tensor<T> value, Node<T>[] parents, bool requiresGrad, string? name)
    {
        Kind = kind;
        Op = op;
        Value = value;
        Parents = parents;
        RequiresGrad = requiresGrad;
        Name = name;
        Layer = LayerScope.Current;
        Id = Interlocked.Increment(ref nextId);
    }

    /// <summary>Creation order; stable ordering for capture and export.</summary>
    public long Id { get; }
    /// <summary>Leaf kind, or <see cref="NodeKind.Op"/>.</summary>
    public NodeKind Kind { get; }
    /// <summary>Op name (e.g. <c>conv2d</c>), or <c>input</c>/<c>parameter</c>/<c>constant</c> for leaves.</summary>
    public string Op { get; }
    /// <summary>The forward value.</summary>
    public Tensor<T> Value { get; }
    /// <summary>Accumulated gradient. Parameters keep accumulating across backward calls until <see cref="ZeroGrad"/>.</summary>
    public Tensor<T>? Grad { get; internal set; }
    /// <summary>The op's inputs, in argument order; empty for leaves and for nodes made in a no-grad scope.</summary>
    public IReadOnlyList<Node<T>> Parents { get; }
    /// <summary>Whether a gradient flows to this node: set on parameters and chosen inputs, inherited by ops from any input.</summary>
    public bool RequiresGrad { get; }
    /// <summary>Optional display name (parameters carry <c>layer.weight</c>-style names).</summary>
    public string? Name { get; set; }
    /// <summary>The layer (e.g. <c>conv1</c>) whose forward created this node, if any.</summary>
    public string? Layer { get; set; }
    /// <summary>Op settings worth showing (stride, padding, axes…), for capture and DOT export.</summary>
    public IReadOnlyDictionary<string, string>? Attributes { get; private init; }
    internal BackwardFn<T>? Backward { get; private set; }
    /// <summary>True once backward has released this node's saved buffers.</summary>
    public bool Released { get; private set; }

    /// <summary>Shape of <see cref="Value"/>.</summary>
    public int[] Shape => Value.Shape;
    /// <summary>True for inputs, parameters and constants.</summary>
    public bool IsLeaf => Kind != NodeKind.Op;
    /// <summary>Name if set, else <c>layer/op#id</c> (or <c>op#id</c>): how captures and errors refer to the node.</summary>
    public string Label => Name ?? (Layer is null ? $"{Op}#{Id}" : $"{Layer}/{Op}#{Id}");

    /// <summary>A trainable leaf; its gradient accumulates.</summary>
    public static Node<T> Parameter(Tensor<T> value, string name) => new(NodeKind.Parameter, "parameter", value, [], true, name);

    /// <summary>A data leaf; set <paramref name="requiresGrad"/> to get d(root)/d(input).</summary>
    public static Node<T> Input(Tensor<T> value, string? name = null, bool requiresGrad = false)
        => new(NodeKind.Input, "input", value, [], requiresGrad, name);

    /// <summary>A fixed leaf: never requires a gradient.</summary>
    public static Node<T> Constant(Tensor<T> value, string? name = null) => new(NodeKind.Constant, "constant", value, [], false, name);

    /// <summary>
    /// Records the result of an op. Inside a no-grad scope nothing is recorded: the node has no parents
    /// and no backward, so the inputs' buffers can be freed as soon as the caller drops them.
    /// </summary>
    /// <param name="op">The op's registered name (<see cref="OpAttribute"/>).</param>
    /// <param name="value">The output the op computed.</param>
    /// <param name="inputs">The op's inputs, in the order <paramref name="backward"/> returns their gradients.</param>
    /// <param name="backward">The op's VJP; kept only while some input requires a gradient.</param>
    /// <param name="attributes">Op settings to show in captures and DOT export.</param>
    /// <param name="scratch">Buffers only the backward reads (e.g. max-pool's argmax), rented from
    /// <see cref="TensorPool"/>; the engine hands them back when it releases the node.</param>
    public static Node<T> FromOp(string op, Tensor<T> value, Node<T>[] inputs, BackwardFn<T> backward,
        IReadOnlyDictionary<string, string>? attributes = null, Array[]? scratch = null)
    {
        OpRecorder.Record(op);
        if (!GradMode.IsEnabled)
            return new Node<T>(NodeKind.Op, op, value, [], false, null) { Attributes = attributes };
        bool requires = WillBackprop(inputs);
        var node = new Node<T>(NodeKind.Op, op, value, inputs, requires, null) { Attributes = attributes };
        if (requires) { node.Backward = backward; node.scratch = scratch; }
        return node;
    }

    /// <summary>
    /// Whether <see cref="FromOp"/> with these inputs keeps its backward: grad mode is on and some input requires a
    /// gradient. An op asks before saving what only its backward reads (batch norm's x̂).
    /// </summary>
    public static bool WillBackprop(ReadOnlySpan<Node<T>> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var input in inputs)
            if (input.RequiresGrad) return true;
        return false;
    }

    /// <summary>Backpropagates from this node; see <see cref="Autograd.Backward{T}"/>.</summary>
    public void Backprop(Tensor<T>? seed = null, bool retainGraph = false, Action<Node<T>>? onLeafGradientReady = null)
        => Autograd.Backward(this, seed, retainGraph, onLeafGradientReady: onLeafGradientReady);

    /// <summary>Drops the accumulated gradient (the next backward starts from zero).</summary>
    public void ZeroGrad() => Grad = null;

    private Array[]? scratch;

    internal void Release()
    {
        Backward = null;
        Released = true;
        if (scratch is null) return;
        foreach (var buffer in scratch) TensorPool.Return(buffer);
        scratch = null;
    }

    /// <summary>Adds <paramref name="grad"/> into <see cref="Grad"/>; an <paramref name="owned"/> buffer nobody else holds is adopted, not copied.</summary>
    internal void AccumulateGrad(Tensor<T> grad, bool owned = false)
    {
        if (Grad is null)
        {
            Grad = owned ? grad : grad.Clone();
            TensorPool.Forget(Grad.Data);   // the leaf's now: the pool must never lend it again
        }
        else
        {
            System.Numerics.Tensors.TensorPrimitives.Add(Grad.Data, grad.Data, Grad.Data);
            if (owned) TensorPool.Return(grad.Data);
        }
    }

    /// <summary>Label, op and shape, e.g. <c>conv1/conv2d#12 conv2d [32, 6, 28, 28]</c>.</summary>
    public override string ToString() => $"{Label} {Op} {Shapes.Format(Shape)}";
}
