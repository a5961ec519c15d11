using AutoGrad.Models.Layers;

namespace AutoGrad.Models.Export.Mappings;

/// <summary>
/// max_pool2d → MaxPool, avg_pool2d → AveragePool: no padding and floor rounding (ceil_mode 0), as ours; without
/// padding every window holds k·k values, so AveragePool divides by k·k like AvgPool2d.
/// </summary>
internal sealed class PoolMapping(string opType) : ILayerMapping
{
    public string Operators(int opset) => opType;

    public string Emit(Layer<float> layer, string input, OnnxGraphBuilder graph)
    {
        var pool = (PoolLayer<float>)layer;
        return graph.Node(opType, layer.Name, [input],
            OnnxGraphBuilder.Ints("kernel_shape", pool.Kernel, pool.Kernel),
            OnnxGraphBuilder.Ints("strides", pool.Stride, pool.Stride));
    }
}
