using AutoGrad.Models;
using AutoGrad.Models.Data;
using AutoGrad.Models.Training;
using AutoGrad.Models.Zoo;
using AutoGrad.Tests.Models.Data;

namespace AutoGrad.Tests.Models.Training;

/// <summary>The report's models train on the report's data layout: list files of JPEGs under images/&lt;synset&gt;/.</summary>
public class SeedModelTrainingTests
{
    [Theory]
    [InlineData("seed-lenet5", 256)]
    [InlineData("seed-lenet5-improved", 254)]
    public void SeedModelTrainsOneEpochOnAListDataset(string name, int side)
    {
        using var files = new DataFixtures();
        SyntheticImages.WriteImageList(files, perClass: 2);
        Assert.True(ModelZoo.TryGet(name, out var spec));
        Assert.Equal([3, side, side], spec.Input);

        using var data = DatasetCatalog.Load(files.Root, spec.Channels, spec.Height, spec.Width, DataFixtures.Options());
        Assert.Equal(["n01440764", "n02102040"], data.Train.Classes);
        Assert.NotNull(data.Validation);
        var model = ModelBuilder.Build<float>(spec, data.Train.Classes.Count, seed: 1);
        string run = files.PathOf("run");
        // Two steps of plain SGD: 4 training images, batch 2, one epoch.
        var options = TrainerTests.Options(run, epochs: 1) with { BatchSize = 2, Optimizer = "sgd", LearningRate = 0.001 };
        var result = new Trainer(model, data, options).Run();

        Assert.Single(result.Epochs);
        Assert.True(double.IsFinite(result.Epochs[0].TrainLoss));
        TrainerTests.AssertRunFolder(run);
    }
}
