namespace AutoGrad.Models.Data;

/// <summary>
/// Cooperating processes (data-parallel ranks) that split a split's decoding: part p decodes the files i with
/// i mod <see cref="Parts"/> = p, and the decoded samples are then exchanged so every part holds the whole
/// store. The loader speaks only these primitives; the distributed layer implements them over MPI.
/// Every part must make the same calls in the same order (they are collectives).
/// </summary>
internal interface IDecodeShare
{
    /// <summary>This process's index, 0 ≤ Part &lt; Parts.</summary>
    int Part { get; }

    int Parts { get; }

    /// <summary>Every part's <paramref name="value"/> (|value| &lt; 2⁵³), by part.</summary>
    long[] AllGather(long value);

    /// <summary>Part <paramref name="root"/>'s first <paramref name="count"/> bytes of <paramref name="buffer"/> on every part.</summary>
    void Broadcast(byte[] buffer, int count, int root);

    /// <summary>
    /// Called on a part that has nothing to report while another part ends the job with its own error (bad
    /// images it decoded): blocks until the job is ended, and throws if it is not within the collective timeout.
    /// </summary>
    void AwaitFault(string reason);
}
