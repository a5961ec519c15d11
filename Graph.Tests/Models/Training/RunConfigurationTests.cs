using AutoGrad.Models.Training;

namespace AutoGrad.Tests.Models.Training;

public class RunConfigurationTests
{
    private static readonly TrainOptions Defaults = new() { OutputDirectory = "" };

    [Fact]
    public void ReadsEverySettingItNamesAndListsThem()
    {
        var c = RunConfiguration.Parse("""
            { "model": "lenet5-plus", "epochs": 12, "learningRate": 0.002, "optimizer": "adamw", "augment": true,
              "schedule": "cosine", "warmupEpochs": 1.5, "labelSmoothing": 0.1, "ema": 0.999, "earlyStop": 4, "data": "fashion-mnist" }
            """, "r.json", Defaults);
        Assert.Equal("lenet5-plus", c.Model);
        Assert.Equal(Defaults with
        {
            Epochs = 12, LearningRate = 0.002, Optimizer = "adamw", Augment = true, Schedule = "cosine", WarmupEpochs = 1.5,
            LabelSmoothing = 0.1, Ema = 0.999, EarlyStop = 4, Data = "fashion-mnist",
        }, c.Options);
        Assert.Equal(new[] { "Augment", "Data", "EarlyStop", "Ema", "Epochs", "LabelSmoothing", "LearningRate", "Optimizer", "Schedule", "WarmupEpochs" }, c.Keys.Order());
    }

    [Theory]
    [InlineData("""{ "lr": 0.1 }""", "r.json: unknown key \"lr\"")]
    [InlineData("""{ "LearningRate": 0.1 }""", "unknown key \"LearningRate\"")]
    [InlineData("""{ "epochs": 2.5 }""", "r.json: \"epochs\" must be an integer, got 2.5")]
    [InlineData("""{ "augment": "yes" }""", "\"augment\" must be true or false")]
    [InlineData("""{ "learningRate": "0.1" }""", "\"learningRate\" must be a number")]
    [InlineData("""{ "model": 3 }""", "\"model\" must be a string")]
    [InlineData("""[1]""", "expected a JSON object")]
    [InlineData("""{ "epochs": """, "r.json: not valid JSON")]
    public void BadFilesNameTheFileAndTheKey(string json, string expected)
    {
        var e = Assert.Throws<AutoGradException>(() => RunConfiguration.Parse(json, "r.json", Defaults));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void WrittenConfigurationReadsBackToTheSameOptions()
    {
        var options = Defaults with { Epochs = 7, Ema = 0.99, Schedule = "step:3:0.5", Data = "d", Threads = 3 };
        var back = RunConfiguration.Parse(RunConfiguration.Write("photo-net", options), "config.json", Defaults);
        Assert.Equal("photo-net", back.Model);
        Assert.Equal(options, back.Options);
        Assert.DoesNotContain("outputDirectory", RunConfiguration.Write(null, options));
    }

    [Fact]
    public void ShippedConfigurationsAreValid()
    {
        string configs = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "configs");
        var files = Directory.GetFiles(configs, "*.json");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            var c = RunConfiguration.Load(file, Defaults);
            Assert.NotNull(c.Model);
            c.Options.Validate();
        }
    }
}
