using AutoGrad.Models.Layers;
using AutoGrad.Models.Specs;

namespace AutoGrad.Models.Diagnostics;

/// <summary>
/// Replaces layers of a built model, in both float32 and float64, so a diagnosis can run on a network with a
/// user-written (or deliberately broken) layer. Keep parameter names: the float64 copy loads the float32 weights by name.
/// </summary>
public interface ILayerSubstitution
{
    /// <summary>Returns <paramref name="layer"/> itself or its replacement; <paramref name="spec"/> is the layer's spec entry.</summary>
    Layer<T> Substitute<T>(Layer<T> layer, LayerSpec spec) where T : unmanaged, IFloatingPointIeee754<T>;
}
