using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace AutoGrad.Models.Distributed;

/// <summary>
/// MPI_COMM_WORLD seen from one rank. One dedicated thread makes every MPI call (MPI_THREAD_FUNNELED): it
/// starts queued collectives in the order they were queued (the same order on every rank, as MPI requires),
/// drives MPI's progress by polling them, and watches for faults. Training threads only queue work and wait,
/// so a gradient bucket is reduced while backward goes on computing earlier layers.
/// <para>Faults: a rank that fails calls <see cref="Fail"/>; its message travels to rank 0, which hands it to
/// <see cref="RemoteFault"/> and aborts the job (MPI_Abort ends every rank). A collective that does not
/// complete within <see cref="Timeout"/> is a fault too, so no rank waits forever.</para>
/// </summary>
public sealed unsafe class Communicator : IDisposable
{
    private const int FaultTag = 7101, MaxFaultBytes = 4096;
    private readonly ConcurrentQueue<CollectiveRequest> queue = new();
    private readonly AutoResetEvent wake = new(false);
    private readonly List<CollectiveRequest> active = [];
    private readonly Thread thread;
    private readonly ManualResetEventSlim ready = new();
    private volatile string? localFault;
    private volatile bool stopping;
    private Exception? startError;
    private long waitTicks;
    private int bfloat16Sum;   // the MPI_Op summing bfloat16 (BFloat16.Sum), created once MPI is up

    private Communicator(TimeSpan timeout)
    {
        Timeout = timeout;
        thread = new Thread(Loop) { IsBackground = true, Name = "mpi" };
        thread.Start();
        ready.Wait();
        if (startError is not null) throw startError;
        HostNames = GatherHostNames();
    }

    /// <summary>Initialises MPI (the library is opened here, never before). Call only under mpiexec.</summary>
    public static Communicator Start(TimeSpan timeout) => new(timeout);

    public int Rank { get; private set; }
    public int Size { get; private set; }
    /// <summary>MPI_Get_processor_name of every rank, by rank.</summary>
    public IReadOnlyList<string> HostNames { get; }
    public TimeSpan Timeout { get; }
    /// <summary>Called on rank 0's MPI thread with (rank, message) when another rank reports a failure, just before the job is aborted.</summary>
    public Action<int, string>? RemoteFault { get; set; }
    /// <summary>Time the calling threads spent blocked in <see cref="Wait"/> since the last reset.</summary>
    public TimeSpan WaitTime => TimeSpan.FromTicks(Interlocked.Read(ref waitTicks));
    public void ResetWaitTime() => Interlocked.Exchange(ref waitTicks, 0);

    /// <summary>Queues an in-place sum over all ranks of <paramref name="count"/> floats from <paramref name="offset"/>.</summary>
    public CollectiveRequest StartAllreduceSum(float[] data, int offset, int count) =>
        Enqueue(new CollectiveRequest($"allreduce of {count:N0} floats", data, offset * sizeof(float), address =>
        {
            int request;
            MpiNative.Check(MpiNative.Iallreduce(MpiNative.InPlace, (void*)address, count, MpiNative.Float, MpiNative.OpSum, MpiNative.CommWorld, &request), "MPI_Iallreduce");
            return request;
        }));

    /// <summary>Queues an in-place sum over all ranks of <paramref name="count"/> bfloat16 values (<see cref="BFloat16.Sum"/>) from the start of <paramref name="data"/>.</summary>
    public CollectiveRequest StartAllreduceSumBFloat16(ushort[] data, int count) =>
        Enqueue(new CollectiveRequest($"bfloat16 allreduce of {count:N0} values", data, 0, address =>
        {
            int request;
            MpiNative.Check(MpiNative.Iallreduce(MpiNative.InPlace, (void*)address, count, MpiNative.UnsignedShort, bfloat16Sum, MpiNative.CommWorld, &request), "MPI_Iallreduce");
            return request;
        }));

    /// <summary>Queues an in-place element-wise sum (or max) over all ranks of <paramref name="data"/>.</summary>
    public CollectiveRequest StartAllreduce(double[] data, bool max = false) =>
        Enqueue(new CollectiveRequest($"allreduce of {data.Length} doubles", data, 0, address =>
        {
            int request;
            MpiNative.Check(MpiNative.Iallreduce(MpiNative.InPlace, (void*)address, data.Length, MpiNative.Double, max ? MpiNative.OpMax : MpiNative.OpSum, MpiNative.CommWorld, &request), "MPI_Iallreduce");
            return request;
        }));

    /// <summary>Element-wise sum (or max) over all ranks, in place, blocking.</summary>
    public void Allreduce(double[] data, bool max = false) => Wait(StartAllreduce(data, max));

    /// <summary>Rank <paramref name="root"/>'s <paramref name="data"/> on every rank, blocking.</summary>
    public void Broadcast(float[] data, int root = 0) =>
        Wait(Enqueue(new CollectiveRequest($"broadcast of {data.Length:N0} floats from rank {root}", data, 0, address =>
        {
            int request;
            MpiNative.Check(MpiNative.Ibcast((void*)address, data.Length, MpiNative.Float, root, MpiNative.CommWorld, &request), "MPI_Ibcast");
            return request;
        })));

    /// <summary>Rank <paramref name="root"/>'s first <paramref name="count"/> bytes of <paramref name="data"/> on every rank, blocking.</summary>
    public void Broadcast(byte[] data, int count, int root) =>
        Wait(Enqueue(new CollectiveRequest($"broadcast of {count:N0} bytes from rank {root}", data, 0, address =>
        {
            int request;
            MpiNative.Check(MpiNative.Ibcast((void*)address, count, MpiNative.Byte, root, MpiNative.CommWorld, &request), "MPI_Ibcast");
            return request;
        })));

    /// <summary>Blocks until <paramref name="request"/> has completed (or the job is aborted).</summary>
    public void Wait(CollectiveRequest request)
    {
        if (request.IsCompleted) return;
        long t0 = Stopwatch.GetTimestamp();
        while (!request.WaitHandle(100))
            if (!thread.IsAlive) throw new AutoGradException($"the MPI thread ended while rank {Rank} waited for {request.Name}");
        Interlocked.Add(ref waitTicks, Stopwatch.GetElapsedTime(t0).Ticks);
    }

    /// <summary>
    /// Reports this rank's failure and ends the job: rank 0 aborts at once (its caller has printed the error);
    /// any other rank sends <paramref name="message"/> to rank 0, which prints it and aborts everyone. If rank 0
    /// does not answer within 10 s this rank aborts the job itself. Never returns.
    /// </summary>
    public void Fail(string message)
    {
        localFault = message;
        wake.Set();
        thread.Join(TimeSpan.FromSeconds(30));
        Environment.Exit(1);   // not reached: MPI_Abort ends the process
    }

    private CollectiveRequest Enqueue(CollectiveRequest request)
    {
        queue.Enqueue(request);
        wake.Set();
        return request;
    }

    private string[] GatherHostNames()
    {
        // An allgather through a max-reduction: each rank writes its name and process id into its own row of zeros.
        const int width = MpiNative.MaxProcessorName + 1;
        var rows = new double[Size * width];
        byte[] mine = Encoding.UTF8.GetBytes(ProcessorName);
        for (int i = 0; i < Math.Min(mine.Length, width - 1); i++) rows[Rank * width + i] = mine[i];
        rows[Rank * width + width - 1] = Environment.ProcessId;
        Allreduce(rows, max: true);
        ProcessIds = Enumerable.Range(0, Size).Select(r => (int)rows[r * width + width - 1]).ToArray();
        return Enumerable.Range(0, Size).Select(r => Encoding.UTF8.GetString(rows.Skip(r * width).Take(width - 1).TakeWhile(v => v != 0).Select(v => (byte)v).ToArray())).ToArray();
    }

    /// <summary>The operating-system process id of every rank, by rank (mpiexec names a killed rank by its pid).</summary>
    public IReadOnlyList<int> ProcessIds { get; private set; } = [];

    private string ProcessorName { get; set; } = "";

    private void Loop()
    {
        try
        {
            MpiNative.Load();
            int provided, rank, size;
            MpiNative.Check(MpiNative.InitThread(null, null, MpiNative.ThreadFunneled, &provided), "MPI_Init_thread");
            MpiNative.Check(MpiNative.CommSetErrhandler(MpiNative.CommWorld, MpiNative.ErrorsReturn), "MPI_Comm_set_errhandler");
            MpiNative.Check(MpiNative.CommRank(MpiNative.CommWorld, &rank), "MPI_Comm_rank");
            MpiNative.Check(MpiNative.CommSize(MpiNative.CommWorld, &size), "MPI_Comm_size");
            var name = stackalloc byte[MpiNative.MaxProcessorName + 1];
            int length = 0;
            MpiNative.Check(MpiNative.GetProcessorName(name, &length), "MPI_Get_processor_name");
            (Rank, Size, ProcessorName) = (rank, size, Encoding.UTF8.GetString(name, length));
            int op;
            MpiNative.Check(MpiNative.OpCreate(BFloat16.SumFunction, 1, &op), "MPI_Op_create");   // commutative: round(a + b) = round(b + a)
            bfloat16Sum = op;
        }
        catch (Exception e) { startError = e; ready.Set(); return; }
        ready.Set();
        try { Poll(); }
        catch (AutoGradException e) { Abort(e.Message); }
    }

    private void Poll()
    {
        var spin = new SpinWait();
        while (true)
        {
            if (localFault is { } fault) Abort(fault);
            while (queue.TryDequeue(out var next)) { next.Start(); active.Add(next); }
            for (int i = active.Count - 1; i >= 0; i--)
            {
                int handle = active[i].Handle, flag;
                MpiNative.Check(MpiNative.Test(&handle, &flag, MpiNative.StatusIgnore), "MPI_Test");
                if (flag != 0) { active[i].Complete(); active.RemoveAt(i); }
            }
            if (Rank == 0) ReceiveFault();
            if (active.Count > 0)
            {
                var oldest = active.MinBy(a => a.StartedAt)!;
                if (Environment.TickCount64 - oldest.StartedAt > Timeout.TotalMilliseconds)
                    Abort($"waited more than {Timeout.TotalSeconds:0} s for {oldest.Name}: another rank is stuck or gone");
                spin.SpinOnce(sleep1Threshold: -1);   // stay responsive: the reduction only moves while polled
            }
            else
            {
                if (stopping) break;
                wake.WaitOne(10);
                spin.Reset();
            }
        }
        int finalized;
        if (MpiNative.Finalized(&finalized) == MpiNative.Success && finalized == 0) MpiNative.Finalize();
    }

    private void ReceiveFault()
    {
        int flag;
        MpiNative.Status status;
        if (MpiNative.Iprobe(MpiNative.AnySource, FaultTag, MpiNative.CommWorld, &flag, &status) != MpiNative.Success || flag == 0) return;
        var text = new byte[MaxFaultBytes];
        fixed (byte* p = text)
            MpiNative.Recv(p, MaxFaultBytes, MpiNative.Byte, status.Source, FaultTag, MpiNative.CommWorld, MpiNative.StatusIgnore);
        string message = Encoding.UTF8.GetString(text).TrimEnd('\0');
        // A fault every rank meets (a bad flag, missing data) reaches rank 0 from the others too: give rank 0's own
        // report a moment to arrive, so the user reads rank 0's error rather than a copy from rank 1.
        for (long until = Environment.TickCount64 + 1000; localFault is null && Environment.TickCount64 < until;) Thread.Sleep(10);
        if (localFault is not null) Abort(localFault);
        try { RemoteFault?.Invoke(status.Source, message); }
        finally { MpiNative.Abort(MpiNative.CommWorld, 1); }
    }

    private void Abort(string message)
    {
        if (Rank != 0)
        {
            // Tell rank 0, keep polling so the send goes out, and give rank 0 time to abort the job itself.
            byte[] bytes = Encoding.UTF8.GetBytes(message);
            int length = Math.Min(bytes.Length, MaxFaultBytes), request, flag = 0;
            fixed (byte* p = bytes)
            {
                MpiNative.Isend(p, length, MpiNative.Byte, 0, FaultTag, MpiNative.CommWorld, &request);
                long deadline = Environment.TickCount64 + 10_000;
                while (Environment.TickCount64 < deadline)
                {
                    if (flag == 0 && MpiNative.Test(&request, &flag, MpiNative.StatusIgnore) != MpiNative.Success) break;
                    foreach (var a in active) { int h = a.Handle, f; MpiNative.Test(&h, &f, MpiNative.StatusIgnore); }
                    Thread.Sleep(1);
                }
            }
            Console.Error.WriteLine($"error: {message} (rank 0 did not end the job; aborting)");
        }
        MpiNative.Abort(MpiNative.CommWorld, 1);
    }

    /// <summary>Finalises MPI after the queued work is done.</summary>
    public void Dispose()
    {
        stopping = true;
        wake.Set();
        thread.Join();
    }
}
