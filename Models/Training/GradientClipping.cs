using TP = System.Numerics.Tensors.TensorPrimitives;

namespace AutoGrad.Models.Training;

/// <summary>Clips the global L2 norm of all gradients to a maximum (PyTorch's clip_grad_norm_).</summary>
public static class GradientClipping
{
    /// <summary>Returns the norm before clipping.</summary>
    public static double ClipNorm(IEnumerable<Node<float>> parameters, double maxNorm)
    {
        var list = parameters.Where(p => p.Grad is not null).ToList();
        double total = 0;
        foreach (var p in list) total += TP.SumOfSquares<float>(p.Grad!.Data);
        double norm = Math.Sqrt(total);
        if (maxNorm > 0 && norm > maxNorm)
        {
            float scale = (float)(maxNorm / (norm + 1e-6));
            foreach (var p in list) TP.Multiply(p.Grad!.Data, scale, p.Grad.Data);
        }
        return norm;
    }
}
