using System.Runtime.InteropServices;

namespace AutoGrad.Models.Distributed;

/// <summary>
/// The few MPI C functions data-parallel training uses, bound at run time to MPICH's <c>libmpich.so.12</c>
/// (or an ABI-compatible <c>libmpi.so.12</c>: Intel MPI, MVAPICH) through function pointers. Nothing here
/// runs until <see cref="Load"/>: a process that is not started by mpiexec never opens the library.
/// Handles are MPICH's integer constants (<c>mpi.h</c> of MPICH 4.0); Open MPI, whose handles are
/// pointers, has a different ABI and is refused by <see cref="Load"/>.
/// </summary>
internal static unsafe class MpiNative
{
    public const int Success = 0;
    public const int CommWorld = 0x44000000;
    public const int Byte = 0x4c00010d, UnsignedShort = 0x4c000204, Int = 0x4c000405, Float = 0x4c00040a, Double = 0x4c00080b;
    public const int OpSum = 0x58000003, OpMax = 0x58000001, OpMin = 0x58000002;
    public const int ErrorsReturn = 0x54000001;
    public const int AnySource = -2;
    public const int ThreadFunneled = 1;
    public const int MaxProcessorName = 128;
    public static readonly nint InPlace = -1;
    public static readonly nint StatusIgnore = 1;

    /// <summary>MPI_Status of MPICH: count_lo, count_hi_and_cancelled, MPI_SOURCE, MPI_TAG, MPI_ERROR.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Status
    {
        public int CountLo, CountHiAndCancelled, Source, Tag, Error;
    }

    public static delegate* unmanaged<int*, byte***, int, int*, int> InitThread;
    public static delegate* unmanaged<int> Finalize;
    public static delegate* unmanaged<int*, int> Finalized;
    public static delegate* unmanaged<int, int*, int> CommRank;
    public static delegate* unmanaged<int, int*, int> CommSize;
    public static delegate* unmanaged<int, int, int> CommSetErrhandler;
    public static delegate* unmanaged<byte*, int*, int> GetProcessorName;
    public static delegate* unmanaged<nint, void*, int, int, int, int, int*, int> Iallreduce;
    public static delegate* unmanaged<void*, int, int, int, int, int*, int> Ibcast;
    public static delegate* unmanaged<int, int*, int> Ibarrier;
    public static delegate* unmanaged<int*, int*, nint, int> Test;
    public static delegate* unmanaged<int, int, int, int*, Status*, int> Iprobe;
    public static delegate* unmanaged<void*, int, int, int, int, int, nint, int> Recv;
    public static delegate* unmanaged<void*, int, int, int, int, int, int*, int> Isend;
    public static delegate* unmanaged<int, int, int> Abort;
    public static delegate* unmanaged<nint, int, int*, int> OpCreate;
    public static delegate* unmanaged<int, byte*, int*, int> ErrorString;

    private static nint library;

    /// <summary>Opens the MPI library and binds every function; a clear error when there is none.</summary>
    public static void Load()
    {
        if (library != 0) return;
        string[] names = ["libmpich.so.12", "libmpi.so.12"];
        foreach (string name in names)
            if (NativeLibrary.TryLoad(name, out library)) break;
        if (library == 0)
            throw new AutoGradException($"started by mpiexec, but no MPICH-compatible MPI library ({string.Join(" or ", names)}) could be loaded; install MPICH (Debian: apt-get install mpich)");
        if (NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out _))
            throw new AutoGradException("the MPI library is Open MPI, whose ABI differs from MPICH's; launch with MPICH's mpiexec (mpiexec.mpich)");
        InitThread = (delegate* unmanaged<int*, byte***, int, int*, int>)Export("MPI_Init_thread");
        Finalize = (delegate* unmanaged<int>)Export("MPI_Finalize");
        Finalized = (delegate* unmanaged<int*, int>)Export("MPI_Finalized");
        CommRank = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<int, int*, int>)Export("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<int, int, int>)Export("MPI_Comm_set_errhandler");
        GetProcessorName = (delegate* unmanaged<byte*, int*, int>)Export("MPI_Get_processor_name");
        Iallreduce = (delegate* unmanaged<nint, void*, int, int, int, int, int*, int>)Export("MPI_Iallreduce");
        Ibcast = (delegate* unmanaged<void*, int, int, int, int, int*, int>)Export("MPI_Ibcast");
        Ibarrier = (delegate* unmanaged<int, int*, int>)Export("MPI_Ibarrier");
        Test = (delegate* unmanaged<int*, int*, nint, int>)Export("MPI_Test");
        Iprobe = (delegate* unmanaged<int, int, int, int*, Status*, int>)Export("MPI_Iprobe");
        Recv = (delegate* unmanaged<void*, int, int, int, int, int, nint, int>)Export("MPI_Recv");
        Isend = (delegate* unmanaged<void*, int, int, int, int, int, int*, int>)Export("MPI_Isend");
        Abort = (delegate* unmanaged<int, int, int>)Export("MPI_Abort");
        OpCreate = (delegate* unmanaged<nint, int, int*, int>)Export("MPI_Op_create");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Export("MPI_Error_string");
    }

    private static nint Export(string name) =>
        NativeLibrary.TryGetExport(library, name, out nint address) ? address
            : throw new AutoGradException($"the MPI library has no {name}; MPI 3.0 or later (MPICH ≥ 3) is needed");

    /// <summary>Throws with MPI's own description when <paramref name="code"/> is not MPI_SUCCESS.</summary>
    public static void Check(int code, string call)
    {
        if (code == Success) return;
        var text = stackalloc byte[512];
        int length = 0;
        string detail = ErrorString(code, text, &length) == Success ? System.Text.Encoding.ASCII.GetString(text, length) : $"code {code}";
        throw new AutoGradException($"{call} failed: {detail}");
    }
}
