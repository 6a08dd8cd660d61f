using Microsoft.Extensions.Options;
using WalletGrains.Abstractions.Webhooks;
using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Webhooks;

/// <summary>One event's delivery to one subscription: the event itself and how its attempts went.</summary>
[GenerateSerializer]
public sealed class Delivery
{
    [Id(0)] public Guid Id { get; init; }
    [Id(1)] public Guid SubscriptionId { get; init; }
    [Id(2)] public ContactEvent Event { get; init; } = null!;
    [Id(3)] public DateTimeOffset CreatedAt { get; init; }
    [Id(4)] public int Attempts { get; set; }
    [Id(5)] public DateTimeOffset NextAttemptAt { get; set; }
    [Id(6)] public DateTimeOffset? LastAttemptAt { get; set; }
    [Id(7)] public int? LastStatusCode { get; set; }
    [Id(8)] public string? LastError { get; set; }
    [Id(9)] public DeliveryStatus Status { get; set; }
    [Id(10)] public DateTimeOffset? FinishedAt { get; set; }

    public (Guid Subscription, Guid Contact) Line => (SubscriptionId, Event.ContactId);

    public DeliveryView View() => new(
        Id, Event.Id, WebhookEventTypes.Of(Event.Kind), Event.ContactId, Event.Sequence, Status, Attempts, LastStatusCode, LastError,
        CreatedAt, LastAttemptAt, Status == DeliveryStatus.Pending ? NextAttemptAt : null, FinishedAt);
}

/// <summary>Persisted queue of one dispatcher shard: every delivery not yet finished.</summary>
[GenerateSerializer]
public sealed class WebhookQueueState
{
    [Id(0)] public Dictionary<Guid, Delivery> Pending { get; init; } = [];
}

/// <summary>Persisted log of one dispatcher shard: the most recent finished deliveries, oldest first.</summary>
[GenerateSerializer]
public sealed class WebhookLogState
{
    [Id(0)] public List<Delivery> Finished { get; init; } = [];
}

/// <summary>
/// One shard of an account's webhook deliveries. Accepted events are stored before they are acknowledged; each is
/// then delivered to every subscription that wants it, one event at a time per subscription and contact (a failing
/// event holds back that contact's later events for that subscription only), at most
/// <see cref="WebhookOptions.MaxConcurrentDeliveries"/> at once, retried with exponential backoff until
/// <see cref="WebhookOptions.RetryFor"/> has passed. A timer drives the attempts; a reminder, kept while anything is
/// pending, brings the shard back after a deactivation or a lost silo. Calls interleave, so a slow receiver never
/// holds up the contacts handing events in.
/// </summary>
[Reentrant]
internal sealed class WebhookDispatcherGrain(
    [PersistentState("webhookQueue", Stores.Default)] IPersistentState<WebhookQueueState> queue,
    [PersistentState("webhookLog", Stores.Default)] IPersistentState<WebhookLogState> log,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider clock) : Grain, IWebhookDispatcherGrain, IRemindable, IDisposable
{
    private const string ReminderName = "deliver";
    private const int MaxLogEntries = 500;
    private const int MaxRemembered = 100_000;

    private readonly WriteGate _queueWrites = new();
    private readonly WriteGate _logWrites = new();

    // The pending deliveries of each subscription and contact, in the contact's order: only the first is ever attempted.
    private readonly Dictionary<(Guid Subscription, Guid Contact), Queue<Delivery>> _lines = [];
    private readonly HashSet<(Guid Subscription, Guid Contact)> _inFlight = [];

    // The highest sequence accepted per contact, to drop events handed off twice.
    private readonly Dictionary<Guid, long> _accepted = [];

    private IReadOnlyList<WebhookTarget>? _targets;
    private DateTimeOffset _targetsReadAt;
    private Task<IReadOnlyList<WebhookTarget>>? _targetsRead;
    private Task? _reminder;
    private IGrainTimer? _timer;
    private DateTimeOffset? _timerAt;

    private WebhookOptions Options => options.Value;

    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        foreach (var delivery in queue.State.Pending.Values.OrderBy(d => d.Event.Sequence))
        {
            LineOf(delivery).Enqueue(delivery);
        }

        Remember();
        if (queue.State.Pending.Count > 0)
        {
            // The reminder was registered before these were acknowledged; make sure it still is, then go on delivering.
            _reminder = await this.GetReminder(ReminderName, cancellationToken) is null ? RegisterReminder() : Task.CompletedTask;
            await _reminder;
            Pump();
        }
    }

    public async Task Accept(IReadOnlyList<ContactEvent> events)
    {
        var targets = await Targets();
        var now = Now;
        var stored = false;
        foreach (var change in events.OrderBy(e => e.Sequence))
        {
            if (_accepted.TryGetValue(change.ContactId, out var last) && change.Sequence <= last)
            {
                // A repeat still waits for the write that stores the first copy: an acknowledgement means stored.
                stored = true;
                continue;
            }

            _accepted[change.ContactId] = change.Sequence;
            var type = WebhookEventTypes.Of(change.Kind);
            foreach (var target in targets.Where(t => t.Enabled && t.Wants(type)))
            {
                var delivery = new Delivery { Id = Guid.CreateVersion7(), SubscriptionId = target.Id, Event = change, CreatedAt = now, NextAttemptAt = now };
                queue.State.Pending[delivery.Id] = delivery;
                LineOf(delivery).Enqueue(delivery);
                stored = true;
            }
        }

        if (_accepted.Count > MaxRemembered)
        {
            Remember();
        }

        if (stored)
        {
            _reminder ??= queue.State.Pending.Count > 0 ? RegisterReminder() : null;
            await Task.WhenAll(_queueWrites.WriteSoon(queue), _reminder ?? Task.CompletedTask);
            Pump();
        }
    }

    public Task<IReadOnlyList<DeliveryView>> Deliveries(Guid subscriptionId) =>
        Task.FromResult<IReadOnlyList<DeliveryView>>(
            [.. queue.State.Pending.Values.Concat(log.State.Finished).Where(d => d.SubscriptionId == subscriptionId).Select(d => d.View())]);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (queue.State.Pending.Count > 0)
        {
            Pump();
            return;
        }

        // Nothing pending: stop waking up. An event accepted meanwhile registers the reminder again.
        _reminder = null;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (queue.State.Pending.Count > 0)
        {
            _reminder = RegisterReminder();
            await _reminder;
        }
    }

    public void Dispose() => _timer?.Dispose();

    private async Task RegisterReminder() => await this.RegisterOrUpdateReminder(ReminderName, Options.ReminderPeriod, Options.ReminderPeriod);

    private Queue<Delivery> LineOf(Delivery delivery)
    {
        if (!_lines.TryGetValue(delivery.Line, out var line))
        {
            line = new Queue<Delivery>();
            _lines[delivery.Line] = line;
        }

        return line;
    }

    private void Pump() => PumpAsync().Ignore();

    /// <summary>Starts the head of every line that is due, up to the concurrency limit, and arms the timer for the next one.</summary>
    private async Task PumpAsync()
    {
        var targets = (await Targets()).ToDictionary(t => t.Id);
        var now = Now;
        DateTimeOffset? next = null;
        var dropped = false;
        foreach (var (key, line) in _lines.ToList())
        {
            if (!targets.TryGetValue(key.Subscription, out var target))
            {
                // The subscription was deleted: its deliveries go with it.
                foreach (var delivery in line)
                {
                    queue.State.Pending.Remove(delivery.Id);
                }

                _lines.Remove(key);
                dropped = true;
                continue;
            }

            var head = line.Peek();
            if (!target.Enabled || _inFlight.Contains(key))
            {
                continue;
            }

            if (head.NextAttemptAt > now)
            {
                next = next is { } soonest && soonest < head.NextAttemptAt ? soonest : head.NextAttemptAt;
                continue;
            }

            if (_inFlight.Count >= Options.MaxConcurrentDeliveries)
            {
                // Every attempt that ends pumps again.
                break;
            }

            _inFlight.Add(key);
            Attempt(head, target).Ignore();
        }

        Arm(next);
        if (dropped)
        {
            await Persist(logToo: false);
        }
    }

    private async Task Attempt(Delivery delivery, WebhookTarget target)
    {
        AttemptOutcome outcome;
        try
        {
            outcome = await sender.Send(target, delivery.Event, delivery.Attempts + 1);
        }
        finally
        {
            _inFlight.Remove(delivery.Line);
        }

        if (!queue.State.Pending.ContainsKey(delivery.Id))
        {
            // Dropped with its subscription while the attempt ran.
            return;
        }

        var now = Now;
        delivery.Attempts++;
        delivery.LastAttemptAt = now;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = outcome.Error;
        var finished = outcome.Succeeded || now - delivery.CreatedAt >= Options.RetryFor;
        if (finished)
        {
            delivery.Status = outcome.Succeeded ? DeliveryStatus.Delivered : DeliveryStatus.Failed;
            delivery.FinishedAt = now;
            Finish(delivery);
        }
        else
        {
            delivery.NextAttemptAt = now + Options.Backoff(delivery.Attempts);
        }

        Pump();
        await Persist(logToo: finished);
    }

    /// <summary>Moves a finished delivery from its line and the queue to the log, and lets the contact's next event go.</summary>
    private void Finish(Delivery delivery)
    {
        if (_lines.TryGetValue(delivery.Line, out var line) && line.TryPeek(out var head) && head.Id == delivery.Id)
        {
            line.Dequeue();
            if (line.Count == 0)
            {
                _lines.Remove(delivery.Line);
            }
        }

        queue.State.Pending.Remove(delivery.Id);
        var finished = log.State.Finished;
        finished.Add(delivery);
        if (finished.Count > MaxLogEntries)
        {
            finished.RemoveRange(0, finished.Count - MaxLogEntries);
        }
    }

    /// <summary>Stores the queue (and the log). A failed write leaves memory ahead of the store: the activation is dropped and reloads.</summary>
    private async Task Persist(bool logToo)
    {
        try
        {
            await Task.WhenAll(_queueWrites.WriteSoon(queue), logToo ? _logWrites.WriteSoon(log) : Task.CompletedTask);
        }
        catch (Exception)
        {
            DeactivateOnIdle();
            throw;
        }
    }

    private void Arm(DateTimeOffset? at)
    {
        if (at is not { } due || (_timer is not null && _timerAt <= due))
        {
            return;
        }

        _timer?.Dispose();
        _timerAt = due;
        _timer = this.Once(static grain => grain.OnTimer(), this, due - Now, interleave: true);
    }

    private Task OnTimer()
    {
        _timer?.Dispose();
        _timer = null;
        _timerAt = null;
        return PumpAsync();
    }

    /// <summary>The account's subscriptions, re-read when older than <see cref="WebhookOptions.SubscriptionCacheTime"/>; concurrent readers share one read.</summary>
    private Task<IReadOnlyList<WebhookTarget>> Targets()
    {
        if (_targets is not null && Now - _targetsReadAt < Options.SubscriptionCacheTime)
        {
            return Task.FromResult(_targets);
        }

        return _targetsRead ??= ReadTargets();
    }

    private async Task<IReadOnlyList<WebhookTarget>> ReadTargets()
    {
        try
        {
            var accountId = Guid.Parse(this.GetPrimaryKeyString().Split('/')[0]);
            _targets = await GrainFactory.GetGrain<IWebhookSubscriptionsGrain>(accountId).Targets();
            _targetsReadAt = Now;
            return _targets;
        }
        finally
        {
            _targetsRead = null;
        }
    }

    /// <summary>Rebuilds the dedupe memory from what is stored: the pending events and the finished ones in the log.</summary>
    private void Remember()
    {
        _accepted.Clear();
        foreach (var delivery in queue.State.Pending.Values.Concat(log.State.Finished))
        {
            if (!_accepted.TryGetValue(delivery.Event.ContactId, out var last) || delivery.Event.Sequence > last)
            {
                _accepted[delivery.Event.ContactId] = delivery.Event.Sequence;
            }
        }
    }
}
