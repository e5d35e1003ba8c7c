namespace Lamina.Local.Lambda;

/// <summary>
/// Concurrency slots: one pool per function with reserved concurrency, one shared by every other function. A
/// synchronous invocation takes a slot or is throttled; an asynchronous one waits in line, and a released slot
/// goes straight to the first waiter.
/// </summary>
internal sealed class ConcurrencyPool(int limit, string throttleReason)
{
    private readonly object _gate = new();
    private readonly Queue<Func<bool>> _waiters = new();
    private int _inUse;

    /// <summary>The <c>Reason</c> of a throttle from this pool.</summary>
    public string ThrottleReason { get; } = throttleReason;

    public int Limit { get; private set; } = limit;

    public int InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    public void SetLimit(int value)
    {
        lock (_gate)
        {
            Limit = value;
        }
    }

    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_inUse < Limit)
            {
                _inUse++;
                return true;
            }

            return false;
        }
    }

    /// <summary>Runs <paramref name="start"/> with a slot now, or later when one is released. <paramref name="start"/>
    /// returns false when it no longer wants the slot (the waiter expired), which passes the slot on.</summary>
    public void AcquireOrWait(Func<bool> start)
    {
        lock (_gate)
        {
            if (_inUse >= Limit)
            {
                _waiters.Enqueue(start);
                return;
            }

            _inUse++;
        }

        if (!start())
        {
            Release();
        }
    }

    public void Release()
    {
        while (true)
        {
            Func<bool> next;
            lock (_gate)
            {
                if (_waiters.Count == 0 || _inUse > Limit)
                {
                    _inUse--;
                    return;
                }

                // The slot passes to the first waiter without being returned.
                next = _waiters.Dequeue();
            }

            if (next())
            {
                return;
            }
        }
    }
}
