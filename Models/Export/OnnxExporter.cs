using System.Reflection;
using System.Text.Json;
using AutoGrad.Models.Export.Mappings;
using AutoGrad.Models.IO;
using AutoGrad.Models.Specs;
using Google.Protobuf;
using Onnx;

namespace AutoGrad.Models.Export;

/// <summary>
/// Writes a checkpoint as an ONNX model: input <c>input</c> [N, …spec input] with a dynamic batch dimension N,
/// output <c>logits</c> (or <c>probabilities</c>) [N, classes], every layer in its evaluation-mode form (batch norm
/// with its running statistics, dropout gone), the weights as float32 initializers under their checkpoint names,
/// and the class names, normalisation and spec in the model's metadata.
/// </summary>
public static class OnnxExporter
{
    public const string Producer = "autograd", InputName = "input", BatchDimension = "N";
    public const string InputKey = "autograd.input", OutputKey = "autograd.output";

    /// <summary>autograd's version, as written to producer_version.</summary>
    public static string Version { get; } =
        typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Builds the model and writes it to <paramref name="path"/> atomically: any error (an unsupported layer, an
    /// opset out of range, a full disk) leaves no file behind and an existing file untouched.
    /// </summary>
    public static void Save(Checkpoint checkpoint, string path, OnnxExportOptions options)
    {
        var model = Build(checkpoint, options);   // every check happens here, before a file is opened
        AtomicFile.Write(path, stream => model.WriteTo(stream));
    }

    /// <summary>The serialised model (what <see cref="Save"/> writes).</summary>
    public static byte[] ToBytes(Checkpoint checkpoint, OnnxExportOptions options) => Build(checkpoint, options).ToByteArray();

    /// <summary>The ai.onnx operators each layer becomes at <paramref name="opset"/>, in layer order; throws for a layer without an ONNX form.</summary>
    public static IReadOnlyList<(string Layer, string Type, string Operators)> Operators(Model<float> model, int opset) =>
        model.Layers.Select(l => (l.Name, l.Type, LayerMappings.For(l).Operators(opset))).ToList();

    /// <summary>
    /// A protobuf message cannot exceed 2 GiB; models larger than this would need ONNX's external-data files, which
    /// the exporter does not write. The margin leaves room for the graph and metadata around the weights.
    /// </summary>
    internal const long MaxWeightBytes = int.MaxValue - (64L << 20);

    internal static ModelProto Build(Checkpoint checkpoint, OnnxExportOptions options, long maxWeightBytes = MaxWeightBytes)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var net = checkpoint.Model;
        var mappings = net.Layers.Select(LayerMappings.For).ToList();   // all layers are checked before anything is built
        long weightBytes = net.StateTensors().Sum(t => (long)t.Value.Length) * sizeof(float);
        if (weightBytes > maxWeightBytes)
            throw new AutoGradException($"model {net.Spec.Name}: {weightBytes:N0} bytes of weights exceed the {maxWeightBytes:N0} a single ONNX file can hold (external data is not supported)");
        var spec = net.Spec;
        checkpoint.Normalization.Validate(spec.Channels);

        string output = options.OutputName;
        var graph = new OnnxGraphBuilder(spec.Name, options.Opset, [InputName, "logits", "probabilities"]);
        graph.Graph.Input.Add(OnnxGraphBuilder.Value(InputName, BatchDimension, spec.Input));
        string x = options.IncludeNormalization ? Normalize(graph, checkpoint) : InputName;
        for (int i = 0; i < net.Layers.Count; i++) x = mappings[i].Emit(net.Layers[i], x, graph);
        x = graph.Rename(x, "logits");
        if (options.WithSoftmax) x = graph.Rename(graph.Node("Softmax", "softmax", [x], OnnxGraphBuilder.Int("axis", 1)), "probabilities");
        graph.Graph.Output.Add(OnnxGraphBuilder.Value(output, BatchDimension, [net.Classes]));

        var model = new ModelProto
        {
            IrVersion = OnnxExportOptions.IrVersion(options.Opset),
            ProducerName = Producer,
            ProducerVersion = Version,
            Graph = graph.Graph,
            DocString = $"{spec.Name}: {net.Classes} classes; input {InputName} [N, {string.Join(", ", spec.Input)}] " +
                        (options.IncludeNormalization ? "of pixel/255 in [0, 1]" : "normalised as (pixel/255 - mean)/std") + $"; output {output}",
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = options.Opset });
        foreach (var (key, value) in Metadata(checkpoint, options))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    /// <summary>The same keys and JSON as a checkpoint's metadata, plus what the input and output hold.</summary>
    internal static IEnumerable<(string Key, string Value)> Metadata(Checkpoint checkpoint, OnnxExportOptions options)
    {
        var norm = checkpoint.Normalization;
        yield return (Checkpoint.ClassesKey, JsonSerializer.Serialize(checkpoint.Classes));
        yield return (Checkpoint.NormalizeKey, JsonSerializer.Serialize(new { mean = norm.Mean, std = norm.Std }));
        yield return (Checkpoint.SpecKey, SpecJson.Write(checkpoint.Model.Spec));
        yield return (InputKey, options.IncludeNormalization ? "pixels/255 in [0, 1], normalised inside the graph" : "(pixels/255 - mean)/std per channel");
        yield return (OutputKey, options.OutputName);
    }

    /// <summary>(x − mean)/std per channel, as Sub then Div so it rounds exactly like <see cref="Data.Normalization"/>'s table.</summary>
    private static string Normalize(OnnxGraphBuilder graph, Checkpoint checkpoint)
    {
        var spec = checkpoint.Model.Spec;
        int[] shape = spec.Input.Length == 3 ? [1, spec.Channels, 1, 1] : [1, 1];
        string mean = graph.Initializer("input.mean", shape, checkpoint.Normalization.Mean);
        string std = graph.Initializer("input.std", shape, checkpoint.Normalization.Std);
        string centred = graph.Node("Sub", "input.centred", [InputName, mean]);
        return graph.Node("Div", "normalized", [centred, std]);
    }
}
