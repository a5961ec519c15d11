using AutoGrad.Ops.Kernels;

namespace AutoGrad.Ops;

/// <summary>Shape checks shared by the pooling ops.</summary>
internal static class Pooling
{
    public static (ConvGeometry Geometry, int Planes) Geometry<T>(Tensor<T> x, int kernel, int stride, string op) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (x.Rank != 4) throw new AutoGradException($"{op} expects NCHW input, got {Shapes.Format(x.Shape)}");
        if (kernel < 1 || stride < 1) throw new AutoGradException($"{op} kernel and stride must be ≥ 1 (got {kernel}, {stride})");
        if (x.Shape[2] < kernel || x.Shape[3] < kernel)
            throw new AutoGradException($"{op} kernel {kernel} is larger than the input plane {x.Shape[2]}×{x.Shape[3]}");
        return (new ConvGeometry(1, x.Shape[2], x.Shape[3], kernel, kernel, stride, 0), x.Shape[0] * x.Shape[1]);
    }

    public static Dictionary<string, string> Attributes(int kernel, int stride) => new() { ["k"] = kernel.ToString(), ["s"] = stride.ToString() };
}
