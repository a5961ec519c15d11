using System.Buffers.Binary;
using AutoGrad.Models.IO;
using Xunit;

namespace AutoGrad.Tests.Models.IO;

/// <summary>
/// Corrupts a valid file in many seeded ways; loading must either succeed or raise <see cref="AutoGradException"/>,
/// never another exception, a hang or a huge allocation.
/// </summary>
[Trait("Category", "Slow")]
public class SafeTensorsFuzzTests
{
    [Fact]
    public void Load_OnCorruptedFiles_OnlyEverRaisesAutoGradException()
    {
        using var folder = new TempFolder();
        string path = folder.File("fuzz.safetensors");
        SafeTensors.Save(path,
        [
            new NamedTensor("conv.weight", [2, 1, 3, 3], Enumerable.Range(0, 18).Select(i => i * 0.1f).ToArray()),
            new NamedTensor("conv.bias", [2], [0.5f, -0.5f]),
            new NamedTensor("fc", [3, 2], [1, 2, 3, 4, 5, 6]),
        ], new Dictionary<string, string> { ["epoch"] = "7", ["arch"] = "tiny" });
        byte[] original = File.ReadAllBytes(path);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(original);

        var random = new Random(20240611);
        int rejected = 0, loaded = 0;
        for (int trial = 0; trial < 600; trial++)
        {
            byte[] bytes = Mutate(original, headerEnd, random, out string how);
            File.WriteAllBytes(path, bytes);
            try
            {
                SafeTensors.Load(path);
                loaded++;
            }
            catch (AutoGradException e)
            {
                Assert.Contains("fuzz.safetensors", e.Message);
                Assert.DoesNotContain('\n', e.Message);
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"trial {trial} ({how}) raised {e.GetType().Name}: {e.Message}");
            }
        }
        // Both outcomes must occur, or the mutations are not exercising the validator.
        Assert.True(rejected > 100, $"only {rejected} mutations were rejected");
        Assert.True(loaded > 10, $"only {loaded} mutations loaded");
    }

    private static byte[] Mutate(byte[] original, int headerEnd, Random random, out string how)
    {
        byte[] bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                int length = random.Next(original.Length);
                how = $"truncate to {length}";
                return bytes[..length];
            case 1:
                int bit = random.Next(8 * original.Length);
                how = $"flip bit {bit}";
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                return bytes;
            case 2:
                // Most of the interesting structure is in the header, so aim a flip there.
                int headerBit = random.Next(8 * headerEnd);
                how = $"flip header bit {headerBit}";
                bytes[headerBit / 8] ^= (byte)(1 << (headerBit % 8));
                return bytes;
            case 3:
                int position = random.Next(8, headerEnd);
                byte value = "{}[]\",:0123456789-. eE"u8[random.Next(22)];
                how = $"set byte {position} to '{(char)value}'";
                bytes[position] = value;
                return bytes;
            default:
                int extra = random.Next(1, 16);
                how = $"append {extra} bytes";
                return [.. bytes, .. new byte[extra]];
        }
    }
}
