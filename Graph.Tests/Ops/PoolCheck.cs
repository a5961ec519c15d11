using System.Numerics;

namespace AutoGrad.Tests.Ops;

/// <summary>
/// One registry row inside a <see cref="TensorPool"/> scope whose returned buffers are poisoned (NaN-filled):
/// two forward + backward rounds in one scope, the second on the buffers the first gave back, must give the
/// unpooled result bit for bit. A value read after its buffer went back to the pool, or a rented buffer
/// assumed to be zero, then shows up as NaN instead of silently reading recycled memory.
/// </summary>
public static class PoolCheck
{
    public static void AssertPooledRunsMatch<T>(OpEntry<T> entry, int seed, bool kernelShapes) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var generate = kernelShapes && entry.KernelShapes is { } k ? k : entry.Generate;
        var rng = new Random(seed);
        var opCase = generate(rng);
        var values = opCase.Shapes.Select((s, i) => entry.Domains[i].Draw(rng, Shapes.Size(s))).ToArray();
        string description = $"{entry} seed={seed} {RegistryCheck.Describe(opCase)}";
        var reference = Round(opCase, values, seed);
        var pool = new TensorPool { PoisonReturned = true };
        using (pool.Scope())
            for (int round = 0; round < 2; round++)
            {
                var pooled = Round(opCase, values, seed);
                Assert.True(reference.Output.SequenceEqual(pooled.Output), $"{description}: pooled round {round} output differs");
                for (int i = 0; i < reference.Grads.Length; i++)
                    Assert.True(reference.Grads[i] is null ? pooled.Grads[i] is null : pooled.Grads[i] is { } g && reference.Grads[i]!.SequenceEqual(g),
                        $"{description}: pooled round {round} gradient {i} differs");
            }
    }

    private static (T[] Output, T[]?[] Grads) Round<T>(OpCase<T> opCase, double[][] values, int seed) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var leaves = opCase.Shapes.Select((s, i) => Node<T>.Input(Tensor<T>.FromArray(s, values[i]), $"x{i}", opCase.Requires(i))).ToArray();
        var output = opCase.Apply(leaves);
        var upstream = new Random(seed + 1);
        var seedGrad = Tensor<T>.FromArray(output.Shape, Enumerable.Range(0, output.Value.Length).Select(_ => upstream.NextDouble() * 2 - 1).ToArray());
        output.Backprop(seedGrad);
        // Read after backward, as a caller would: the root's value and the leaves' gradients are never recycled.
        return ((T[])output.Value.Data.Clone(), leaves.Select(l => (T[]?)l.Grad?.Data.Clone()).ToArray());
    }
}
