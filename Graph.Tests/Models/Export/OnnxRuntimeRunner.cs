using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace AutoGrad.Tests.Models.Export;

/// <summary>
/// Runs an exported model in ONNX Runtime. Creating the session is the checker: ONNX Runtime validates the model
/// (schema, operator versions, types, shape inference) on load and throws for one it rejects, failing the test.
/// </summary>
public sealed class OnnxRuntimeRunner : IDisposable
{
    private readonly InferenceSession session;

    public OnnxRuntimeRunner(byte[] model)
    {
        // One intra-op thread: the machine's cores are shared with the rest of the suite.
        using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 };
        session = new InferenceSession(model, options);
    }

    public OnnxRuntimeRunner(string path) : this(File.ReadAllBytes(path)) { }

    public IReadOnlyDictionary<string, string> Metadata => session.ModelMetadata.CustomMetadataMap;
    public string ProducerName => session.ModelMetadata.ProducerName;
    public IReadOnlyList<string> InputNames => session.InputNames;
    public IReadOnlyList<string> OutputNames => session.OutputNames;
    public int[] InputDimensions => session.InputMetadata.Values.Single().Dimensions;
    public int[] OutputDimensions => session.OutputMetadata.Values.Single().Dimensions;

    /// <summary>Feeds <paramref name="input"/> of shape <paramref name="shape"/> as 'input'; returns the single output and its shape.</summary>
    public (float[] Values, int[] Shape) Run(float[] input, int[] shape)
    {
        var tensor = new DenseTensor<float>(input, shape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("input", tensor)]);
        var output = results[0].AsTensor<float>();
        return (output.ToArray(), output.Dimensions.ToArray());
    }

    public void Dispose() => session.Dispose();
}
