namespace AutoGrad;

/// <summary>
/// Marks a differentiable op and gives its registry name. The gradient-test registry must list every
/// type carrying this attribute (a completeness test enforces it).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class OpAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
