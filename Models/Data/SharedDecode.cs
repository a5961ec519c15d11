using System.Runtime.InteropServices;
using System.Text;

namespace AutoGrad.Models.Data;

/// <summary>
/// The steps of a decode split over <see cref="IDecodeShare"/> parts: agree on the file list and the cache,
/// exchange what failed, exchange the decoded samples, and check that every part ends with the same bytes.
/// A part's files are every <see cref="IDecodeShare.Parts"/>-th (i ≡ part), not a contiguous range: class
/// folders list a class's files together, and images of one class are often of one size, so striding spreads
/// the expensive ones over the parts.
/// </summary>
internal static class SharedDecode
{
    /// <summary>Bytes sent per broadcast while exchanging samples (a multiple of the sample size, at least one sample).</summary>
    private const int PieceBytes = 32 << 20;

    /// <summary>How many of <paramref name="count"/> indices are ≡ <paramref name="part"/> mod <paramref name="parts"/>.</summary>
    public static int CountOf(int count, int part, int parts) => count <= part ? 0 : (count - 1 - part) / parts + 1;

    /// <summary>Refuses parts that list different files: the same count and the same labels in the same order.</summary>
    public static void CheckSameFiles(IDecodeShare share, LabeledFiles files)
    {
        ulong h = 0xcbf29ce484222325UL;
        foreach (int label in files.Labels) h = (h ^ (uint)label) * 0x100000001b3UL;
        long[] counts = share.AllGather(files.Paths.Length), hashes = share.AllGather((long)(h >> 16));
        for (int r = 1; r < share.Parts; r++)
            if (counts[r] != counts[0] || hashes[r] != hashes[0])
                throw new AutoGradException(counts[r] != counts[0]
                    ? $"{files.Name}: rank {r} lists {counts[r]} files, rank 0 {counts[0]}; every rank must see the same data at the same path"
                    : $"{files.Name}: rank {r} lists the files with other labels than rank 0; every rank must see the same data at the same path");
    }

    /// <summary>True when <paramref name="value"/> is true on every part.</summary>
    public static bool All(IDecodeShare share, bool value) => share.AllGather(value ? 1 : 0).All(v => v == 1);

    /// <summary>
    /// Gives every part every part's failures: <paramref name="errors"/> holds this part's on entry (at its own
    /// indices) and everyone's on return. Returns the parts that had failures.
    /// </summary>
    public static List<int> ShareErrors(IDecodeShare share, string?[] errors)
    {
        var text = new StringBuilder();
        for (int i = share.Part; i < errors.Length; i += share.Parts)
            if (errors[i] is { } reason) text.Append(i).Append('\t').Append(reason.ReplaceLineEndings(" ")).Append('\n');
        byte[] mine = Encoding.UTF8.GetBytes(text.ToString());
        long[] lengths = share.AllGather(mine.Length);
        var failing = new List<int>();
        for (int root = 0; root < share.Parts; root++)
        {
            if (lengths[root] == 0) continue;
            failing.Add(root);
            byte[] buffer = root == share.Part ? mine : new byte[lengths[root]];
            share.Broadcast(buffer, buffer.Length, root);
            if (root == share.Part) continue;
            foreach (string line in Encoding.UTF8.GetString(buffer).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                int tab = line.IndexOf('\t', StringComparison.Ordinal);
                errors[int.Parse(line.AsSpan(0, tab), System.Globalization.CultureInfo.InvariantCulture)] = line[(tab + 1)..];
            }
        }
        return failing;
    }

    /// <summary>Every part's decoded samples into every part's <paramref name="store"/>, one broadcast per piece.</summary>
    public static void ShareSamples(IDecodeShare share, SampleStore store)
    {
        int size = store.SampleSize, parts = share.Parts;
        int perPiece = Math.Max(1, PieceBytes / size);
        var buffer = new byte[(long)Math.Min(perPiece, CountOf(store.Count, 0, parts)) * size];
        for (int root = 0; root < parts; root++)
        {
            int n = CountOf(store.Count, root, parts);
            for (int k0 = 0; k0 < n; k0 += perPiece)
            {
                int m = Math.Min(perPiece, n - k0);
                if (root == share.Part)
                    for (int j = 0; j < m; j++) store.Slot(root + (k0 + j) * parts).CopyTo(buffer.AsSpan(j * size, size));
                share.Broadcast(buffer, m * size, root);
                if (root != share.Part)
                    for (int j = 0; j < m; j++) buffer.AsSpan(j * size, size).CopyTo(store.Slot(root + (k0 + j) * parts));
            }
        }
    }

    /// <summary>Refuses to go on unless every part holds the same samples (a 48-bit hash of <see cref="Hash"/>).</summary>
    public static ulong CheckSameSamples(IDecodeShare share, ImageDataset data)
    {
        ulong h = Hash(data);
        long[] all = share.AllGather((long)(h >> 16));
        for (int r = 1; r < share.Parts; r++)
            if (all[r] != all[0])
                throw new AutoGradException($"{data.Name}: rank {r} holds other decoded samples than rank 0 after the exchange");
        return h;
    }

    /// <summary>FNV-1a over the samples' bytes in 64-bit words (tails byte by byte), in sample order: order- and bit-sensitive.</summary>
    public static ulong Hash(ImageDataset data)
    {
        ulong h = 0xcbf29ce484222325UL;
        for (int i = 0; i < data.Count; i++)
        {
            var bytes = data.Sample(i);
            var words = MemoryMarshal.Cast<byte, ulong>(bytes);
            foreach (ulong w in words) h = (h ^ w) * 0x100000001b3UL;
            foreach (byte b in bytes[(words.Length * sizeof(ulong))..]) h = (h ^ b) * 0x100000001b3UL;
        }
        return h;
    }
}
