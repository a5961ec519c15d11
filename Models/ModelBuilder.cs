using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models;

/// <summary>
/// Turns a spec into layers, inferring each layer's input shape from the previous one and naming layers
/// in order (conv1, conv2, fc1, bn1, pool1, …) unless the spec names them. Weights are drawn from a
/// generator seeded by (seed, layer index), so a model is reproducible and one layer's change leaves the
/// others' initial weights alone.
/// </summary>
public static class ModelBuilder
{
    private static readonly Dictionary<string, string> Prefix = new()
    {
        ["linear"] = "fc", ["conv2d"] = "conv", ["max_pool2d"] = "pool", ["avg_pool2d"] = "avgpool",
        ["global_avg_pool2d"] = "gap", ["batch_norm2d"] = "bn", ["dropout"] = "dropout", ["flatten"] = "flatten", ["residual"] = "res",
    };

    /// <summary>
    /// Builds and initialises the model. With <paramref name="initialize"/> false the weights stay zero, for
    /// callers that load them next (checkpoints, conversions) or only need shapes and counts.
    /// </summary>
    public static Model<T> Build<T>(ModelSpec spec, int classes, int seed = 0, bool initialize = true) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (classes < 1) throw new AutoGradException($"model {spec.Name}: the data must have at least one class");
        var counters = new Dictionary<string, int>();
        var names = new HashSet<string>();
        var layers = new List<Layer<T>>();
        int[] shape = spec.Input;
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var ls = spec.Layers[i];
            string prefix = Prefix.GetValueOrDefault(ls.Type, ls.Type);
            counters[prefix] = counters.GetValueOrDefault(prefix) + 1;
            string name = ls.Name ?? $"{prefix}{counters[prefix]}";
            if (!names.Add(name)) throw new AutoGradException($"model {spec.Name}: layer {i + 1} is named '{name}' but that name is already used");
            var rng = initialize ? new Random(SeedMix.Combine(seed, i)) : null;
            var layer = Create<T>(ls, name, shape, classes, rng, spec.Name);
            foreach (var parameter in layer.Parameters) parameter.Layer = name;   // clusters parameters with their layer in DOT
            layers.Add(layer);
            shape = layer.OutputShape;
        }
        if (shape.Length != 1 || shape[0] != classes)
            throw new AutoGradException($"model {spec.Name}: the last layer outputs {Shapes.Format(shape)} but the data has {classes} classes; end with a linear layer with \"out\": \"classes\"");
        return new Model<T>(spec, classes, layers);
    }

    private static Layer<T> Create<T>(LayerSpec s, string name, int[] input, int classes, Random? rng, string model) where T : unmanaged, IFloatingPointIeee754<T>
    {
        // He for hidden layers (they feed ReLU-like activations); small LeCun-uniform for the classifier.
        string init = s.Init ?? (s.Out == LayerSpec.Classes ? "lecun_uniform" : "he_normal");
        int Need(int? value, string key) => value ?? throw new AutoGradException($"model {model}: layer {name} ({s.Type}) needs \"{key}\"");
        int Out() { int o = Need(s.Out, "out"); return o == LayerSpec.Classes ? classes : o; }
        switch (s.Type)
        {
            case LayerTypes.Linear: return new LinearLayer<T>(name, input, Out(), s.Bias ?? true, init, rng);
            case LayerTypes.Conv2d:
                return new Conv2dLayer<T>(name, input, Out(), Need(s.Kernel, "kernel"), s.Stride ?? 1, s.Padding ?? 0, s.Bias ?? true, init, rng);
            case LayerTypes.MaxPool2d:
            case LayerTypes.AvgPool2d:
                int k = s.Kernel ?? 2;
                return new PoolLayer<T>(name, s.Type, input, k, s.Stride ?? k);
            case LayerTypes.Flatten:
            case LayerTypes.GlobalAvgPool2d: return new ShapeLayer<T>(name, s.Type, input);
            case LayerTypes.Residual: return new ResidualLayer<T>(name, input, Out(), s.Stride ?? 1, init, rng);
            case LayerTypes.BatchNorm2d: return new BatchNormLayer<T>(name, input);
            case LayerTypes.Dropout: return new DropoutLayer<T>(name, input, s.P ?? 0.5);
            default:
                if (LayerTypes.Activations.Contains(s.Type)) return new ActivationLayer<T>(name, s.Type, input, s.Slope ?? 0.01);
                throw new AutoGradException($"model {model}: layer {name} has unknown type '{s.Type}'");
        }
    }
}
