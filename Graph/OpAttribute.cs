namespace AutoGrad;

/// <summary>
/// Marks a differentiable op and gives its registry name. The gradient-test registry must list every
/// type carrying this attribute (a completeness test enforces it).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OpAttribute(string name) : Attribute
{
    /// <summary>The op's registry name, as recorded in <see cref="Node{T}.Op"/> (e.g. <c>conv2d</c>).</summary>
    public string Name { get; } = name;
}
