namespace Lamina.Aws.StepFunctions;

/// <summary>Something that can be chained: a state or a chain of states.</summary>
public interface IChainable
{
    /// <summary>The first state.</summary>
    State StartState { get; }

    /// <summary>The states that continue to whatever is chained next (not terminal, no Next yet).</summary>
    IReadOnlyList<State> EndStates { get; }
}

/// <summary>A sequence of states: <c>Chain.Start(a).Next(b).Next(c)</c>.</summary>
public sealed class Chain : IChainable
{
    private Chain(State start, IReadOnlyList<State> ends)
    {
        StartState = start;
        EndStates = ends;
    }

    /// <inheritdoc />
    public State StartState { get; }

    /// <inheritdoc />
    public IReadOnlyList<State> EndStates { get; }

    /// <summary>Starts a chain.</summary>
    public static Chain Start(IChainable first) => new(first.StartState, first.EndStates);

    /// <summary>Connects every end of this chain to <paramref name="next"/>.</summary>
    /// <exception cref="InvalidOperationException">The chain has no open end (it ends in Succeed, Fail or a Choice without open branches).</exception>
    public Chain Next(IChainable next)
    {
        if (EndStates.Count == 0)
        {
            throw new InvalidOperationException($"Cannot chain '{next.StartState.Name}' after '{StartState.Name}': that chain has no open end (it ends in a Succeed, Fail or Choice state).");
        }
        foreach (var end in EndStates)
        {
            if (end.NextState is not null && !ReferenceEquals(end.NextState, next.StartState))
            {
                throw new InvalidOperationException($"State '{end.Name}' already continues with '{end.NextState.Name}'.");
            }
            end.NextState = next.StartState;
        }
        return new Chain(StartState, next.EndStates);
    }
}
