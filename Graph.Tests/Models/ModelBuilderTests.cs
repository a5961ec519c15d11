using AutoGrad.Models;
using AutoGrad.Models.Specs;
using AutoGrad.Tests.Models.Zoo;

namespace AutoGrad.Tests.Models;

public class ModelBuilderTests
{
    [Fact]
    public void Lenet5LayersAreNamedByTypeInOrder()
    {
        var model = ZooModels.TenClasses("lenet5");
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "fc1", "relu3", "fc2", "relu4", "fc3"],
            model.Layers.Select(l => l.Name));
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc3.weight", "fc3.bias"],
            model.Parameters.Select(p => p.Name));
    }

    [Fact]
    public void BatchNormAndDropoutLayersGetTheirOwnCounters()
    {
        var model = ZooModels.TenClasses("lenet5-plus");
        Assert.Equal(["bn1", "bn2", "bn3", "bn4"], model.Layers.Where(l => l.Type == "batch_norm2d").Select(l => l.Name));
        Assert.Equal(["dropout1", "dropout2"], model.Layers.Where(l => l.Type == "dropout").Select(l => l.Name));
        Assert.Equal(["conv1", "conv2", "conv3", "conv4"], model.Layers.Where(l => l.Type == "conv2d").Select(l => l.Name));
        // Checkpoints hold parameters then BatchNorm running statistics, under the layer's name.
        var state = model.StateTensors().Select(s => s.Name).ToList();
        Assert.Contains("bn1.running_mean", state);
        Assert.Contains("bn4.running_var", state);
        Assert.Contains("bn2.weight", state);
    }

    [Fact]
    public void SpecGivenNamesAreUsedForLayersAndParameters()
    {
        var spec = SpecJson.Parse("""
            {"input": [1, 6, 6], "layers": [
              {"type": "conv2d", "name": "stem", "out": 2, "kernel": 3},
              {"type": "flatten"},
              {"type": "linear", "name": "head", "out": "classes", "bias": false}]}
            """, "named.json");
        var model = ModelBuilder.Build<float>(spec, 3);
        Assert.Equal(["stem", "flatten1", "head"], model.Layers.Select(l => l.Name));
        Assert.Equal(["stem.weight", "stem.bias", "head.weight"], model.Parameters.Select(p => p.Name));
        Assert.Equal([3, 2 * 4 * 4], model.Parameters[^1].Shape);
    }

    [Fact]
    public void InputShapesAreInferredFromThePreviousLayer()
    {
        var model = ZooModels.TenClasses("lenet5");
        for (int i = 1; i < model.Layers.Count; i++)
            Assert.Equal(model.Layers[i - 1].OutputShape, model.Layers[i].InputShape);
        Assert.Equal([1, 28, 28], model.Layers[0].InputShape);
        Assert.Equal([6, 28, 28], model.Layers[0].OutputShape);   // padding 2 keeps 28×28
        Assert.Equal([16, 5, 5], model.Layers.Single(l => l.Name == "pool2").OutputShape);
    }

    [Fact]
    public void StridedConvolutionUsesTheFloorFormula()
    {
        // (9 + 2·1 − 3) / 2 + 1 = 5
        var spec = SpecJson.Parse("""{"input": [1, 9, 9], "layers": [{"type": "conv2d", "out": 1, "kernel": 3, "stride": 2, "padding": 1}, {"type": "flatten"}, {"type": "linear", "out": "classes"}]}""", "s.json");
        Assert.Equal([1, 5, 5], ModelBuilder.Build<float>(spec, 2).Layers[0].OutputShape);
    }

    [Fact]
    public void ZeroClassesIsRejected()
    {
        var e = Assert.Throws<AutoGradException>(() => ModelBuilder.Build<float>(ZooModels.TenClasses("lenet5").Spec, 0));
        Assert.Contains("lenet5", e.Message);
    }
}
