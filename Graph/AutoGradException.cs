namespace AutoGrad;

/// <summary>
/// The one error type AutoGrad raises for bad input or misuse: its message is a single line that names
/// the file, line, layer, flag or node at fault and what was expected. The CLI prints it without a stack trace.
/// </summary>
public class AutoGradException : Exception
{
    public AutoGradException(string message) : base(message) { }
    public AutoGradException(string message, Exception inner) : base(message, inner) { }
}
