namespace Lamina.Local.Messaging;

/// <summary>One message held by a <see cref="LocalQueue"/>. Times are UTC ticks of the engine's clock.</summary>
internal sealed class QueuedMessage
{
    internal long Seq;
    internal required string MessageId;
    internal required string Body;
    internal required string Md5OfBody;
    internal IReadOnlyDictionary<string, MessageAttribute>? Attributes;
    internal string? Md5OfAttributes;
    internal required string SentTimestamp;
    internal required string SenderId;

    /// <summary>The time retention counts from.</summary>
    internal long EnqueuedAt;

    /// <summary>When the message is (or becomes) visible: after its delay, or when its visibility timeout ends.</summary>
    internal long VisibleAt;

    internal int ReceiveCount;
    internal string? FirstReceiveTimestamp;
    internal string? GroupId;
    internal string? DeduplicationId;
    internal string? SequenceNumber;
    internal string? DeadLetterSourceArn;
    internal bool Deleted;

    /// <summary>Standard queues: whether the message sits in the ready queue.</summary>
    internal bool InReady;

    /// <summary>FIFO queues: the message's node in its group's list.</summary>
    internal LinkedListNode<QueuedMessage>? Node;

    internal bool IsInFlight(long now) => ReceiveCount > 0 && VisibleAt > now;

    internal bool IsDelayed(long now) => ReceiveCount == 0 && VisibleAt > now;
}

/// <summary>How a queue orders and hands out its messages. Every call happens under the queue's lock.</summary>
internal abstract class MessageStore(LocalQueue queue)
{
    protected LocalQueue Queue { get; } = queue;

    /// <summary>Adds a new message (visible at <see cref="QueuedMessage.VisibleAt"/>).</summary>
    internal abstract void Add(QueuedMessage message, long now);

    /// <summary>
    /// Picks up to <paramref name="max"/> messages to receive now, dropping expired ones and moving those past the
    /// redrive policy's receive count into <paramref name="deadLetters"/> (already forgotten by the queue).
    /// </summary>
    internal abstract void Take(long now, int max, List<QueuedMessage> taken, ref List<QueuedMessage>? deadLetters);

    /// <summary>Called after a taken message's receive count and visibility were updated.</summary>
    internal abstract void OnReceived(QueuedMessage message);

    /// <summary>Sets when an in-flight message becomes visible.</summary>
    internal abstract void ChangeVisibility(QueuedMessage message, long visibleAt, long now);

    /// <summary>Removes a deleted message.</summary>
    internal abstract void Remove(QueuedMessage message);

    /// <summary>The earliest time a message could be received, or null when none could.</summary>
    internal abstract long? NextAvailable(long now);

    /// <summary>Drops every message.</summary>
    internal abstract void Clear();
}

/// <summary>
/// A standard queue: a ready queue of visible messages (best-effort order: first visible, first out) and a heap of
/// delayed and in-flight messages by the time they become visible (then by send order). Stale heap entries are skipped lazily.
/// </summary>
internal sealed class StandardStore(LocalQueue queue) : MessageStore(queue)
{
    private readonly Queue<QueuedMessage> _ready = new();
    private readonly PriorityQueue<QueuedMessage, (long At, long Seq)> _timed = new();

    internal override void Add(QueuedMessage message, long now)
    {
        if (message.VisibleAt <= now)
        {
            PushReady(message);
        }
        else
        {
            _timed.Enqueue(message, (message.VisibleAt, message.Seq));
        }
    }

    internal override void Take(long now, int max, List<QueuedMessage> taken, ref List<QueuedMessage>? deadLetters)
    {
        Promote(now);
        while (taken.Count < max && _ready.TryDequeue(out var message))
        {
            message.InReady = false;
            if (message.Deleted)
            {
                continue;
            }

            if (Queue.IsExpired(message, now))
            {
                Queue.Forget(message);
                continue;
            }

            if (Queue.ShouldRedrive(message))
            {
                Queue.Forget(message);
                (deadLetters ??= []).Add(message);
                continue;
            }

            taken.Add(message);
        }
    }

    internal override void OnReceived(QueuedMessage message)
    {
        _timed.Enqueue(message, (message.VisibleAt, message.Seq));
        CompactIfStale();
    }

    internal override void ChangeVisibility(QueuedMessage message, long visibleAt, long now)
    {
        message.VisibleAt = visibleAt;
        if (visibleAt <= now)
        {
            if (!message.InReady)
            {
                PushReady(message);
            }
        }
        else
        {
            _timed.Enqueue(message, (visibleAt, message.Seq));
            CompactIfStale();
        }
    }

    internal override void Remove(QueuedMessage message)
    {
        // Entries in the ready queue and the heap are skipped lazily once the message is marked deleted.
    }

    internal override long? NextAvailable(long now)
    {
        Promote(now);
        while (_ready.TryPeek(out var head))
        {
            if (!head.Deleted)
            {
                return now;
            }

            _ready.Dequeue();
            head.InReady = false;
        }

        while (_timed.TryPeek(out var message, out var key))
        {
            var at = key.At;
            if (message.Deleted || message.InReady || message.VisibleAt != at)
            {
                _timed.Dequeue();
                continue;
            }

            return at;
        }

        return null;
    }

    internal override void Clear()
    {
        _ready.Clear();
        _timed.Clear();
    }

    /// <summary>
    /// Rebuilds the heap without stale entries once they outnumber the queue's messages: a received message that is
    /// deleted leaves its entry behind until its visibility timeout would have ended, which at high throughput would
    /// keep many deleted messages (and their bodies) alive.
    /// </summary>
    private void CompactIfStale()
    {
        if (_timed.Count <= 1024 || _timed.Count <= 2 * Queue.MessageCount)
        {
            return;
        }

        var live = new List<(QueuedMessage, (long, long))>(Queue.MessageCount);
        foreach (var (message, key) in _timed.UnorderedItems)
        {
            if (!message.Deleted && !message.InReady && message.VisibleAt == key.At)
            {
                live.Add((message, key));
            }
        }

        _timed.Clear();
        _timed.EnqueueRange(live);
    }

    private void PushReady(QueuedMessage message)
    {
        message.InReady = true;
        _ready.Enqueue(message);
    }

    private void Promote(long now)
    {
        while (_timed.TryPeek(out var message, out var key) && key.At <= now)
        {
            var at = key.At;
            _timed.Dequeue();
            if (!message.Deleted && !message.InReady && message.VisibleAt == at)
            {
                PushReady(message);
            }
        }
    }
}

/// <summary>
/// A FIFO queue: one ordered list per message group. A group whose messages are in flight is blocked; otherwise its
/// visible head messages are handed out in order, as many of one group as fit before the next group.
/// </summary>
internal sealed class FifoStore(LocalQueue queue) : MessageStore(queue)
{
    private readonly Dictionary<string, LinkedList<QueuedMessage>> _groups = new(StringComparer.Ordinal);
    private readonly List<(long HeadSeq, LinkedList<QueuedMessage> Group)> _candidates = [];

    internal override void Add(QueuedMessage message, long now)
    {
        var groupId = message.GroupId!;
        if (!_groups.TryGetValue(groupId, out var group))
        {
            _groups[groupId] = group = new LinkedList<QueuedMessage>();
        }

        message.Node = group.AddLast(message);
    }

    internal override void Take(long now, int max, List<QueuedMessage> taken, ref List<QueuedMessage>? deadLetters)
    {
        _candidates.Clear();
        foreach (var group in _groups.Values)
        {
            if (!IsBlocked(group, now) && group.First!.Value.VisibleAt <= now)
            {
                _candidates.Add((group.First.Value.Seq, group));
            }
        }

        // Oldest head first, so that no group starves.
        _candidates.Sort(static (a, b) => a.HeadSeq.CompareTo(b.HeadSeq));
        foreach (var (_, group) in _candidates)
        {
            var node = group.First;
            while (node is not null && taken.Count < max)
            {
                var next = node.Next;
                var message = node.Value;
                if (Queue.IsExpired(message, now))
                {
                    Queue.Forget(message);
                }
                else if (message.VisibleAt > now)
                {
                    break;
                }
                else if (Queue.ShouldRedrive(message))
                {
                    Queue.Forget(message);
                    (deadLetters ??= []).Add(message);
                }
                else
                {
                    taken.Add(message);
                }

                node = next;
            }

            if (taken.Count >= max)
            {
                break;
            }
        }

        _candidates.Clear();
    }

    internal override void OnReceived(QueuedMessage message)
    {
    }

    internal override void ChangeVisibility(QueuedMessage message, long visibleAt, long now) => message.VisibleAt = visibleAt;

    internal override void Remove(QueuedMessage message)
    {
        var node = message.Node;
        if (node?.List is { } group)
        {
            group.Remove(node);
            if (group.Count == 0)
            {
                _groups.Remove(message.GroupId!);
            }
        }

        message.Node = null;
    }

    internal override long? NextAvailable(long now)
    {
        long? best = null;
        foreach (var group in _groups.Values)
        {
            long at;
            var blockedUntil = BlockedUntil(group, now);
            if (blockedUntil > now)
            {
                at = blockedUntil;
            }
            else
            {
                var head = group.First!.Value;
                at = head.VisibleAt <= now ? now : head.VisibleAt;
            }

            if (best is null || at < best)
            {
                best = at;
            }
        }

        return best;
    }

    internal override void Clear() => _groups.Clear();

    private static bool IsBlocked(LinkedList<QueuedMessage> group, long now) => BlockedUntil(group, now) > now;

    /// <summary>
    /// When the group's last in-flight message becomes visible again, or <see cref="long.MinValue"/> when none is in
    /// flight. Received messages always form a prefix of the group's list.
    /// </summary>
    private static long BlockedUntil(LinkedList<QueuedMessage> group, long now)
    {
        var until = long.MinValue;
        foreach (var message in group)
        {
            if (message.ReceiveCount == 0)
            {
                break;
            }

            if (message.VisibleAt > now && message.VisibleAt > until)
            {
                until = message.VisibleAt;
            }
        }

        return until;
    }
}
