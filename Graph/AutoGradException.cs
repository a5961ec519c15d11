namespace AutoGrad;

/// <summary>
/// The one error type AutoGrad raises for bad input or misuse: its message is a single line that names
/// the file, line, layer, flag or node at fault and what was expected. The CLI prints it without a stack trace.
/// </summary>
public class AutoGradException : Exception
{
    /// <summary>An error with a one-line message.</summary>
    public AutoGradException(string message) : base(message) { }
    /// <summary>An error with a one-line message and the exception that caused it.</summary>
    public AutoGradException(string message, Exception inner) : base(message, inner) { }
}
