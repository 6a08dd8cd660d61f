using WalletGrains.Abstractions.Webhooks;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Contacts;

namespace WalletGrains.Grains.Webhooks;

/// <summary>
/// A contact's transactional outbox. Changes recorded while the account has webhook subscriptions
/// (<see cref="WebhookSubscribers"/>) are stored in the contact's own state by the same write as the change, so a
/// crash never loses an acknowledged change's event. After
/// the write they are handed, in the background (never holding up the caller), to the account's dispatcher shard for
/// this contact, which stores them before it acknowledges. Acknowledged events leave the state with the contact's
/// next write, or with a write of their own a moment later; whatever is still stored is handed off again when the
/// contact activates. The dispatcher drops events it has already accepted, so handing off twice is harmless. So that a
/// contact whose silo died between its write and the hand-off is activated even if nobody calls it, each write that
/// leaves events in the outbox also enters the contact in the expiry sweep's bucket of the next minute (once a minute
/// at most): the sweep wakes the contact, and waking it hands the events off.
/// </summary>
internal sealed class ContactOutbox(IGrainBase grain, IGrainFactory grains, TimeProvider clock, Func<ContactState> state, Func<Task> save)
{
    private const int MaxBatch = 100;

    // A burst of changes shares one clean-up write; an idle contact writes its acknowledged events away after this.
    private static readonly TimeSpan CleanUpDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    private bool _sending;
    private long _acknowledged;
    private long _wakeUpSlot;
    private IGrainTimer? _timer;

    /// <summary>The outbox the next write stores: what is still unacknowledged, then the changes just recorded.</summary>
    public IReadOnlyList<ContactEvent> Pending(IReadOnlyList<ContactEvent> outbox, IReadOnlyList<ContactEvent> recorded) =>
        outbox.Count > 0 && outbox[0].Sequence <= _acknowledged
            ? [.. outbox.Where(e => e.Sequence > _acknowledged), .. recorded]
            : recorded.Count == 0 ? outbox : [.. outbox, .. recorded];

    /// <summary>Makes sure the expiry sweep wakes the contact in a minute or two, in case this activation dies before handing off.</summary>
    public Task WakeUpLater(Guid contactId)
    {
        var slot = IExpiryBucketGrain.SlotOf(clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        if (slot <= _wakeUpSlot)
        {
            return Task.CompletedTask;
        }

        _wakeUpSlot = slot;
        return grains.GetGrain<IExpiryBucketGrain>(IExpiryBucketGrain.Key(slot, IExpiryBucketGrain.ShardOf(contactId))).Add(contactId);
    }

    /// <summary>Hands what is stored to the dispatcher, unless a hand-off is already under way (it picks the rest up).</summary>
    public void HandOff()
    {
        var outbox = state().Outbox;
        if (!_sending && outbox.Count > 0 && outbox[^1].Sequence > _acknowledged)
        {
            _sending = true;
            Send().Ignore();
        }
    }

    private IReadOnlyList<ContactEvent> Unacknowledged() => [.. state().Outbox.Where(e => e.Sequence > _acknowledged)];

    private async Task Send()
    {
        try
        {
            for (var pending = Unacknowledged(); pending.Count > 0; pending = Unacknowledged())
            {
                var batch = pending.Take(MaxBatch).ToList();
                var shard = IWebhookDispatcherGrain.ShardOf(batch[0].ContactId);
                await grains.GetGrain<IWebhookDispatcherGrain>(IWebhookDispatcherGrain.Key(batch[0].AccountId, shard)).Accept(batch);
                _acknowledged = batch[^1].Sequence;
            }

            Schedule(CleanUpDelay);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The dispatcher or the store did not answer: the events stay stored and are handed off again shortly.
            Schedule(RetryDelay);
        }
        finally
        {
            _sending = false;
        }
    }

    private void Schedule(TimeSpan wait)
    {
        _timer?.Dispose();
        _timer = grain.Once(static outbox => outbox.OnTimer(), this, wait, interleave: false);
    }

    /// <summary>Runs as a turn of its own: writes acknowledged events away (unless a change's write already did) and hands off anything left.</summary>
    private async Task OnTimer()
    {
        _timer?.Dispose();
        _timer = null;
        var outbox = state().Outbox;
        if (outbox.Count > 0 && outbox[0].Sequence <= _acknowledged)
        {
            try
            {
                await save();
            }
            catch (Exception e)
            {
                // As for a failed call (DeactivateOnFailureFilter): drop what memory holds; the store has the truth.
                grain.GrainContext.Deactivate(new DeactivationReason(DeactivationReasonCode.ApplicationError, e, "The outbox clean-up write failed."));
                throw;
            }
        }

        HandOff();
    }
}
