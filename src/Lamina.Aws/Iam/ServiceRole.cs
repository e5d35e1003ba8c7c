using Lamina.Aws.Resources.Iam;
using Lamina.Values;

namespace Lamina.Aws.Iam;

/// <summary>
/// An IAM role assumed by an AWS service, with one inline policy that grows as permissions are granted. Constructs
/// (functions, state machines, schedules) create one each: nothing is shared, so each gets exactly what it needs.
/// </summary>
public sealed class ServiceRole : Construct, IGrantable
{
    private readonly List<PolicyStatement> _statements = new();
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    /// <summary>Creates the role for <paramref name="service"/> (such as <c>lambda.amazonaws.com</c>).</summary>
    public ServiceRole(Construct scope, string id, string service) : base(scope, id)
    {
        Service = service;
        Role = new Role(this, DefaultChildId, new() { AssumeRolePolicy = PolicyDocument.AssumeRole(service) });
        Policy = new RolePolicy(this, "Policy", new()
        {
            Role = Role.ResourceId,
            Policy = Output.Lazy<string>(() => PolicyDocument.Of(_statements)),
        });
    }

    /// <summary>The service allowed to assume the role.</summary>
    public string Service { get; }

    /// <summary>The <c>aws:iam:Role</c> resource.</summary>
    public Role Role { get; }

    /// <summary>The role's inline <c>aws:iam:RolePolicy</c> (written only when it has statements).</summary>
    public RolePolicy Policy { get; }

    /// <summary>The role's ARN.</summary>
    public Output<string> Arn => Role.Arn;

    /// <summary>The statements granted so far.</summary>
    public IReadOnlyList<PolicyStatement> Statements => _statements;

    /// <inheritdoc />
    public void AddToRolePolicy(PolicyStatement statement)
    {
        // Identical statements (same actions, resources, conditions) are written once.
        var key = Lamina.Synthesis.YamlWriter.WriteValue(Expr.From(statement.ToDocument()));
        if (_keys.Add(key))
        {
            _statements.Add(statement);
        }
    }

    /// <inheritdoc />
    protected override void Prepare()
    {
        if (_statements.Count == 0)
        {
            TryRemoveChild(Policy.Id);
        }
    }
}
