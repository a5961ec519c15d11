using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace AutoGrad.Models.Export;

/// <summary>
/// Collects the nodes and initializers of one ONNX graph in topological order (a sequential model is emitted
/// layer by layer) and hands out value names that are unique in the graph.
/// </summary>
internal sealed class OnnxGraphBuilder
{
    private readonly HashSet<string> names = new(StringComparer.Ordinal);

    public OnnxGraphBuilder(string name, int opset, IEnumerable<string> reserved)
    {
        Graph = new GraphProto { Name = name };
        Opset = opset;
        foreach (string r in reserved) names.Add(r);
    }

    public GraphProto Graph { get; }

    /// <summary>The ai.onnx opset being written; a mapping may pick a newer operator when it is available.</summary>
    public int Opset { get; }

    /// <summary><paramref name="wanted"/> if no value has that name yet, else wanted_1, wanted_2, …</summary>
    public string Unique(string wanted)
    {
        string name = wanted;
        for (int i = 1; !names.Add(name); i++) name = $"{wanted}_{i}";
        return name;
    }

    /// <summary>Adds a node computing one value; returns that value's name (made unique from <paramref name="output"/>).</summary>
    public string Node(string opType, string output, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string value = Unique(output);
        var node = new NodeProto { OpType = opType, Name = value };
        node.Input.AddRange(inputs);
        node.Output.Add(value);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return value;
    }

    /// <summary>Adds a float32 constant (weights, statistics, scalars); returns its name.</summary>
    public string Initializer(string name, ReadOnlySpan<int> shape, ReadOnlySpan<float> values)
    {
        // raw_data must be little-endian (onnx.proto); the bytes of a float[] are that on every platform .NET 10 runs on.
        if (!BitConverter.IsLittleEndian) throw new AutoGradException("ONNX export needs a little-endian machine");
        var tensor = new TensorProto { Name = Unique(name), DataType = (int)TensorProto.Types.DataType.Float };
        foreach (int d in shape) tensor.Dims.Add(d);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    public string Scalar(string name, float value) => Initializer(name, [], [value]);

    /// <summary>Gives the value <paramref name="value"/> the graph-output name <paramref name="name"/> (reserved at construction).</summary>
    public string Rename(string value, string name)
    {
        var producer = Graph.Node.LastOrDefault(n => n.Output.Contains(value));
        if (producer is null) return Node("Identity", name, [value]);   // a graph input or constant passed straight through
        producer.Output[producer.Output.IndexOf(value)] = name;
        producer.Name = name;
        return name;
    }

    public static ValueInfoProto Value(string name, string batchDimension, IEnumerable<int> dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = batchDimension });
        foreach (int d in dims) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        var type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } };
        return new ValueInfoProto { Name = name, Type = type };
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }
}
