using System.Numerics;

namespace AutoGrad;

/// <summary>A directed edge of a captured graph: <see cref="From"/> feeds input slot <see cref="Slot"/> of <see cref="To"/>.</summary>
public readonly record struct Edge<T>(Node<T> From, Node<T> To, int Slot) where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>
/// A recorded forward pass: every node the outputs depend on, in data-flow (topological) order, and the
/// edges between them. Build it from the outputs of a forward pass run with grad recording on.
/// </summary>
public sealed class CapturedGraph<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private CapturedGraph(List<Node<T>> nodes, List<Edge<T>> edges, IReadOnlyList<Node<T>> outputs)
    {
        Nodes = nodes;
        Edges = edges;
        Outputs = outputs;
    }

    /// <summary>Every node the outputs depend on, inputs before the ops that read them.</summary>
    public IReadOnlyList<Node<T>> Nodes { get; }
    /// <summary>One edge per (input, op, slot).</summary>
    public IReadOnlyList<Edge<T>> Edges { get; }
    /// <summary>The nodes the capture started from.</summary>
    public IReadOnlyList<Node<T>> Outputs { get; }
    /// <summary>The parameter leaves, in <see cref="Nodes"/> order.</summary>
    public IEnumerable<Node<T>> Parameters => Nodes.Where(n => n.Kind == NodeKind.Parameter);
    /// <summary>The op nodes, in <see cref="Nodes"/> order.</summary>
    public IEnumerable<Node<T>> Ops => Nodes.Where(n => n.Kind == NodeKind.Op);

    /// <summary>Captures everything <paramref name="outputs"/> depend on (recorded with grad mode on).</summary>
    public static CapturedGraph<T> FromOutputs(params Node<T>[] outputs)
    {
        if (outputs.Length == 0) throw new AutoGradException("graph capture needs at least one output node");
        var nodes = Autograd.TopologicalOrder(outputs, gradOnly: false);
        var edges = new List<Edge<T>>();
        foreach (var node in nodes)
            for (int slot = 0; slot < node.Parents.Count; slot++)
                edges.Add(new Edge<T>(node.Parents[slot], node, slot));
        return new CapturedGraph<T>(nodes, edges, outputs);
    }

    /// <summary>One line per node: label, op, shape, inputs. Handy for logs and tests.</summary>
    public string Describe()
    {
        var ids = NodeIds();
        var lines = Nodes.Select(n =>
            $"{ids[n],4}  {n.Op,-22} {Shapes.Format(n.Shape),-18} {n.Layer ?? "-",-10} {(n.Name ?? "")}" +
            (n.Parents.Count > 0 ? "  <- " + string.Join(", ", n.Parents.Select(p => ids[p])) : ""));
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>Counts per op name, parameters and their element total.</summary>
    public string Summary()
    {
        var ops = Ops.GroupBy(n => n.Op).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}×{g.Count()}");
        long paramCount = Parameters.Sum(p => (long)p.Value.Length);
        return $"{Nodes.Count} nodes, {Edges.Count} edges, {Parameters.Count()} parameter tensors ({paramCount:N0} values); ops: {string.Join(", ", ops)}";
    }

    /// <summary>Graphviz DOT of the forward graph, or with <paramref name="backward"/> also the gradient flow.</summary>
    public string ToDot(bool backward = false, DotStyle? style = null) => DotWriter.Write(this, backward, style);

    internal Dictionary<Node<T>, int> NodeIds()
    {
        var ids = new Dictionary<Node<T>, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < Nodes.Count; i++) ids[Nodes[i]] = i;
        return ids;
    }
}
