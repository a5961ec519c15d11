namespace AutoGrad.Models.Training;

/// <summary>Creates an optimiser from its CLI name: sgd, momentum, nesterov, adam, adamw.</summary>
public static class OptimizerFactory
{
    public static readonly IReadOnlyList<string> Names = ["sgd", "momentum", "nesterov", "adam", "adamw"];

    /// <summary>Per-parameter float buffers the optimiser keeps: none for sgd, a velocity for momentum and nesterov, two moments for adam and adamw.</summary>
    public static int StateCopies(string name) => name switch
    {
        "sgd" => 0,
        "momentum" or "nesterov" => 1,
        "adam" or "adamw" => 2,
        _ => throw new AutoGradException($"`Optimizer`: unknown optimiser '{name}' (expected one of {string.Join(", ", Names)})"),
    };

    public static Optimizer Create(string name, IReadOnlyList<Node<float>> parameters, double momentum, double weightDecay) => name switch
    {
        "sgd" => new Sgd(parameters, 0, false, weightDecay),
        "momentum" => new Sgd(parameters, momentum, false, weightDecay),
        "nesterov" => new Sgd(parameters, momentum, true, weightDecay),
        "adam" => new Adam(parameters, weightDecay),
        "adamw" => new Adam(parameters, weightDecay, decoupled: true),
        _ => throw new AutoGradException($"`Optimizer`: unknown optimiser '{name}' (expected one of {string.Join(", ", Names)})"),
    };
}
