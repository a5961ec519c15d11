using AutoGrad.Models;
using AutoGrad.Models.Specs;

namespace AutoGrad.Tests.Models.Specs;

/// <summary>Bad specs fail with one-line messages that name the source, the layer (index or name) and the problem.</summary>
public class SpecErrorTests
{
    private const string Source = "bad-spec.json";

    [Fact]
    public void MalformedJsonNamesTheSourceAndLine()
    {
        var e = Fails(() => SpecJson.Parse("{\n  \"input\": [1, 28, 28],\n  \"layers\": [\n", Source), Source, "not valid JSON", "line");
        Assert.DoesNotContain("Exception", e.Message);
    }

    [Fact]
    public void DeeplyNestedJsonIsRejectedNotOverflowed()
    {
        string nested = new string('[', 10_000) + new string(']', 10_000);
        Fails(() => SpecJson.Parse($$"""{"input": [1, 4, 4], "layers": {{nested}}}""", Source), Source, "not valid JSON");
    }

    [Theory]
    [InlineData("[1, 2, 3]", "expected a JSON object")]
    [InlineData("""{"input": [1, 4, 4], "layers": [], "extra": 1}""", "unknown key 'extra'")]
    [InlineData("""{"layers": [{"type": "flatten"}]}""", "missing \"input\"")]
    [InlineData("""{"input": [1, 4], "layers": [{"type": "flatten"}]}""", "\"input\" must be")]
    [InlineData("""{"input": [1, -4, 4], "layers": [{"type": "flatten"}]}""", "\"input\" must be")]
    [InlineData("""{"input": [1, 4, 4], "layers": []}""", "missing \"layers\"")]
    public void BadTopLevelNamesTheProblem(string json, string problem) => Fails(() => SpecJson.Parse(json, Source), Source, problem);

    [Fact]
    public void UnknownLayerTypeNamesIndexNameAndType() =>
        Fails(() => Parse("""{"type": "flatten"}, {"type": "conv3d", "name": "deep", "out": 4}"""),
            Source, "layer 2", "(deep)", "unknown layer type 'conv3d'", "conv2d");

    [Fact]
    public void UnknownLayerKeyNamesIndexAndKey() =>
        Fails(() => Parse("""{"type": "conv2d", "out": 6, "kernal": 5}"""), Source, "layer 1", "unknown key 'kernal'", "kernel");

    [Fact]
    public void MissingTypeNamesTheLayer() =>
        Fails(() => Parse("""{"type": "flatten"}, {"out": 3}"""), Source, "layer 2", "missing \"type\"");

    [Theory]
    [InlineData("out", "-6")]
    [InlineData("kernel", "-5")]
    [InlineData("stride", "-1")]
    [InlineData("padding", "-2")]
    [InlineData("out", "2.5")]
    [InlineData("out", "\"six\"")]
    public void NegativeOrNonIntegerSizesNameTheLayerAndKey(string key, string value)
    {
        var fields = new Dictionary<string, string> { ["type"] = "\"conv2d\"", ["name"] = "\"c1\"", ["out"] = "6", ["kernel"] = "5" };
        fields[key] = value;
        string layer = "{" + string.Join(", ", fields.Select(f => $"\"{f.Key}\": {f.Value}")) + "}";
        Fails(() => Parse(layer), Source, "layer 1 (c1)", $"\"{key}\" must be a non-negative integer", value);
    }

    [Theory]
    [InlineData("\"p\": \"half\"", "\"p\" must be a number")]
    [InlineData("\"bias\": 1", "\"bias\" must be true or false")]
    [InlineData("\"init\": 3", "\"init\" must be a string")]
    [InlineData("\"name\": 7", "\"name\" must be a string")]
    public void WrongValueTypesNameTheKey(string field, string problem) =>
        Fails(() => Parse($$"""{"type": "dropout", {{field}}}"""), Source, "layer 1", problem);

    [Fact]
    public void MissingOutNamesTheLayerWhenBuilding() =>
        Fails(() => Build("""{"type": "conv2d", "kernel": 3}, {"type": "flatten"}, {"type": "linear", "out": "classes"}"""),
            "conv1", "conv2d", "needs \"out\"");

    [Fact]
    public void MissingKernelNamesTheLayerWhenBuilding() =>
        Fails(() => Build("""{"type": "conv2d", "out": 2}, {"type": "flatten"}, {"type": "linear", "out": "classes"}"""),
            "conv1", "needs \"kernel\"");

    [Fact]
    public void ZeroKernelIsRejectedWhenBuilding() =>
        Fails(() => Build("""{"type": "conv2d", "out": 2, "kernel": 0}, {"type": "flatten"}, {"type": "linear", "out": "classes"}"""),
            "conv1", "at least 1");

    [Fact]
    public void LinearOnAnImageAsksForFlatten() =>
        Fails(() => Build("""{"type": "conv2d", "out": 2, "kernel": 3}, {"type": "linear", "name": "head", "out": "classes"}"""),
            "head", "linear", "[2, 6, 6]", "flatten");

    [Fact]
    public void ConvKernelLargerThanInputNamesLayerKernelAndShape() =>
        Fails(() => Build("""{"type": "conv2d", "out": 2, "kernel": 9}, {"type": "flatten"}, {"type": "linear", "out": "classes"}"""),
            "conv1", "kernel 9", "[1, 8, 8]");

    [Fact]
    public void PoolKernelLargerThanInputNamesLayerAndShape() =>
        Fails(() => Build("""{"type": "conv2d", "out": 2, "kernel": 5}, {"type": "max_pool2d", "kernel": 5}, {"type": "flatten"}, {"type": "linear", "out": "classes"}"""),
            "pool1", "kernel 5", "[2, 4, 4]");

    [Fact]
    public void LastLayerNotMatchingClassesSaysWhatItOutputs() =>
        Fails(() => Build("""{"type": "flatten"}, {"type": "linear", "out": 7}"""), "[7]", "10 classes", "\"classes\"");

    [Fact]
    public void DuplicateLayerNamesNameTheLayerAndTheName() =>
        Fails(() => Build("""{"type": "flatten", "name": "a"}, {"type": "linear", "name": "a", "out": "classes"}"""), "layer 2", "'a'", "already used");

    [Fact]
    public void DropoutProbabilityOutsideRangeNamesTheLayer() =>
        Fails(() => Build("""{"type": "flatten"}, {"type": "dropout", "p": 1.5}, {"type": "linear", "out": "classes"}"""), "dropout1", "p must be in [0, 1)");

    [Fact]
    public void UnknownInitialiserNamesTheLayer() =>
        Fails(() => Build("""{"type": "flatten"}, {"type": "linear", "out": "classes", "init": "zeros"}"""), "fc1", "unknown init 'zeros'", "he_normal");

    [Fact]
    public void BatchNormOnAFlatInputNamesTheLayer() =>
        Fails(() => Build("""{"type": "flatten"}, {"type": "batch_norm2d"}, {"type": "linear", "out": "classes"}"""), "bn1", "[C, H, W]");

    private static ModelSpec Parse(string layers) => SpecJson.Parse($$"""{"name": "bad", "input": [1, 8, 8], "layers": [{{layers}}]}""", Source);

    private static Model<float> Build(string layers) => ModelBuilder.Build<float>(Parse(layers), 10);

    private static AutoGradException Fails(Action action, params string[] fragments)
    {
        var e = Assert.Throws<AutoGradException>(action);
        Assert.DoesNotContain('\n', e.Message);
        foreach (string f in fragments) Assert.Contains(f, e.Message);
        return e;
    }

    private static AutoGradException Fails(Func<object> action, params string[] fragments) => Fails(() => { action(); }, fragments);
}
