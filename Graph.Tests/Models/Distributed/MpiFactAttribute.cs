namespace AutoGrad.Tests.Models.Distributed;

/// <summary>
/// A fact that needs MPICH's <c>mpiexec</c>: skipped, with the reason shown in the test report, where it is not
/// installed (a developer's laptop). CI installs mpich (.ci/run), so there these tests run.
/// </summary>
public sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiProcess.Launcher is null)
            Skip = "mpiexec (MPICH) is not on PATH; install it with apt-get install mpich to run the data-parallel tests";
    }
}
