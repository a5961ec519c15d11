using System.Runtime.InteropServices;

namespace AutoGrad.Models.Distributed;

/// <summary>
/// One collective operation handed to the <see cref="Communicator"/>'s MPI thread: its buffer stays pinned
/// from <see cref="Start"/> until MPI has finished with it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification =
    "ManualResetEventSlim holds a kernel handle only once its WaitHandle property is read, which nothing here does; Wait(ms) spins and then blocks on a monitor")]
public sealed class CollectiveRequest
{
    private readonly Func<nint, int> start;   // pinned address → MPI_Request
    private readonly ManualResetEventSlim done = new();
    private GCHandle pin;

    internal CollectiveRequest(string name, Array buffer, int byteOffset, Func<nint, int> start)
    {
        Name = name;
        Buffer = buffer;
        ByteOffset = byteOffset;
        this.start = start;
    }

    /// <summary>What the operation is, for timeout messages ("allreduce of 1,234 floats").</summary>
    public string Name { get; }
    internal Array Buffer { get; }
    internal int ByteOffset { get; }
    internal int Handle { get; private set; }
    internal long StartedAt { get; private set; }
    public bool IsCompleted => done.IsSet;

    internal void Start()
    {
        pin = GCHandle.Alloc(Buffer, GCHandleType.Pinned);
        StartedAt = Environment.TickCount64;
        Handle = start(pin.AddrOfPinnedObject() + ByteOffset);
    }

    internal void Complete()
    {
        if (pin.IsAllocated) pin.Free();
        done.Set();
    }

    internal bool WaitHandle(int milliseconds) => done.Wait(milliseconds);
}
