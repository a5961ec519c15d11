namespace AutoGrad.Models.Distributed;

/// <summary>
/// Whether this process was started by an MPI launcher, read from the environment the launcher sets
/// (Hydra, MPICH's mpiexec: PMI_RANK / PMI_SIZE, MPI_LOCALNRANKS), so nothing MPI is loaded otherwise.
/// </summary>
public static class MpiLaunch
{
    /// <summary>Processes in the job, or 1 when not started by mpiexec.</summary>
    public static int Size => Read("PMI_SIZE") ?? 1;

    /// <summary>This process's rank as the launcher numbered it (0 when not started by mpiexec).</summary>
    public static int Rank => Read("PMI_RANK") ?? 0;

    /// <summary>Processes of the job on this host (1 when not started by mpiexec).</summary>
    public static int LocalSize => Read("MPI_LOCALNRANKS") ?? 1;

    /// <summary>Started by mpiexec with more than one process: the run is data-parallel.</summary>
    public static bool IsDistributed => Read("PMI_RANK") is not null && Size > 1;

    /// <summary>Open MPI's launcher sets these instead; its ABI is not MPICH's.</summary>
    public static bool IsOpenMpi => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null;

    private static int? Read(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : null;
}
