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
        var layers = new List<Layer<T>>();
        int[] shape = spec.Input;
        foreach (var (i, ls, name) in Named(spec))
        {
            var rng = initialize ? new Random(SeedMix.Combine(seed, i)) : null;
            var layer = Create<T>(ls, name, shape, classes, rng, spec.Name);
            foreach (var parameter in layer.Parameters) parameter.Layer = name;   // clusters parameters with their layer in DOT
            layers.Add(layer);
            shape = layer.OutputShape;
        }
        CheckOutput(spec, shape, classes);
        return new Model<T>(spec, classes, layers);
    }

    /// <summary>
    /// What <see cref="Build{T}"/> would allocate, from the spec's shapes alone: parameter count and float32
    /// activation bytes per sample (the input and every layer's output), with the builder's own shape errors.
    /// Lets a caller refuse a model too large for memory before anything is allocated.
    /// </summary>
    public static (long Parameters, long ActivationBytes) Footprint(ModelSpec spec, int classes)
    {
        if (classes < 1) throw new AutoGradException($"model {spec.Name}: the data must have at least one class");
        int[] shape = spec.Input;
        long parameters = 0, activations = Shapes.Size(shape) * 4L;
        foreach (var (_, s, name) in Named(spec))
        {
            int Need(int? value, string key) => value ?? throw new AutoGradException($"model {spec.Name}: layer {name} ({s.Type}) needs \"{key}\"");
            int Out() { int o = Need(s.Out, "out"); return o == LayerSpec.Classes ? classes : o; }
            int[] input = shape;
            long bias = s.Bias ?? true ? 1 : 0;
            (shape, long count) = s.Type switch
            {
                LayerTypes.Linear => (LinearLayer<float>.OutShape(name, input, Out()), 0L),
                LayerTypes.Conv2d => (Conv2dLayer<float>.OutShape(name, input, Out(), Need(s.Kernel, "kernel"), s.Stride ?? 1, s.Padding ?? 0), 0L),
                LayerTypes.MaxPool2d or LayerTypes.AvgPool2d => (PoolLayer<float>.OutShape(name, s.Type, input, s.Kernel ?? 2, s.Stride ?? s.Kernel ?? 2), 0L),
                LayerTypes.Flatten or LayerTypes.GlobalAvgPool2d => (ShapeLayer<float>.OutShape(name, s.Type, input), 0L),
                LayerTypes.BatchNorm2d => (input, 2L * input[0]),
                LayerTypes.Residual => (ResidualLayer<float>.OutShape(name, input, Out(), s.Stride ?? 1), 0L),
                _ when s.Type == LayerTypes.Dropout || LayerTypes.Activations.Contains(s.Type) => (input, 0L),
                _ => throw new AutoGradException($"model {spec.Name}: layer {name} has unknown type '{s.Type}'"),
            };
            if (s.Type == LayerTypes.Linear) count = ((long)input[0] + bias) * shape[0];
            if (s.Type == LayerTypes.Conv2d) count = ((long)input[0] * s.Kernel!.Value * s.Kernel.Value + bias) * shape[0];
            long kept = Shapes.Size(shape);
            if (s.Type == LayerTypes.Residual)
            {
                // conv1 (3×3, stride s) and conv2 (3×3) without bias, two batch norms, and a 1×1 projection with its
                // batch norm where the shape changes; each part keeps an output-sized value (ResidualLayer).
                long c = input[0], o = shape[0];
                bool projection = (s.Stride ?? 1) != 1 || c != o;
                count = c * 9 * o + o * 9 * o + 4 * o + (projection ? c * o + 2 * o : 0);
                kept *= ResidualLayer<float>.KeptValues(projection);
            }
            parameters += count;
            activations += kept * 4L;
        }
        CheckOutput(spec, shape, classes);
        return (parameters, activations);
    }

    // Layer names in order (conv1, conv2, fc1, …) unless the spec names them; a name used twice is an error.
    private static IEnumerable<(int Index, LayerSpec Spec, string Name)> Named(ModelSpec spec)
    {
        var counters = new Dictionary<string, int>();
        var names = new HashSet<string>();
        for (int i = 0; i < spec.Layers.Count; i++)
        {
            var ls = spec.Layers[i];
            string prefix = Prefix.GetValueOrDefault(ls.Type, ls.Type);
            counters[prefix] = counters.GetValueOrDefault(prefix) + 1;
            string name = ls.Name ?? $"{prefix}{counters[prefix]}";
            if (!names.Add(name)) throw new AutoGradException($"model {spec.Name}: layer {i + 1} is named '{name}' but that name is already used");
            yield return (i, ls, name);
        }
    }

    private static void CheckOutput(ModelSpec spec, int[] shape, int classes)
    {
        if (shape.Length != 1 || shape[0] != classes)
            throw new AutoGradException($"model {spec.Name}: the last layer outputs {Shapes.Format(shape)} but the data has {classes} classes; end with a linear layer with \"out\": \"classes\"");
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
