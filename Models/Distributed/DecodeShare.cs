using AutoGrad.Models.Data;

namespace AutoGrad.Models.Distributed;

/// <summary>The loader's <see cref="IDecodeShare"/> over MPI_COMM_WORLD: each rank decodes its share of the images.</summary>
internal sealed class DecodeShare(Communicator comm) : IDecodeShare
{
    public int Part => comm.Rank;
    public int Parts => comm.Size;

    public long[] AllGather(long value)
    {
        // Through a sum: each rank writes its value into its own slot of zeros (doubles hold integers below 2⁵³ exactly).
        var slots = new double[Parts];
        slots[Part] = value;
        comm.Allreduce(slots);
        return slots.Select(v => (long)v).ToArray();
    }

    public void Broadcast(byte[] buffer, int count, int root) => comm.Broadcast(buffer, count, root);

    public void AwaitFault(string reason)
    {
        // The failing rank's error reaches rank 0, which aborts the job (this process with it).
        Thread.Sleep(comm.Timeout);
        throw new AutoGradException($"{reason}, but the job was not ended within {comm.Timeout.TotalSeconds:0} s");
    }
}
