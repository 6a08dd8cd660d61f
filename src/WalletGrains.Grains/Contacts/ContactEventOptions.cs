namespace WalletGrains.Grains.Contacts;

/// <summary>Where contact events go besides webhook subscriptions, bound from the <c>Events</c> section.</summary>
public sealed class ContactEventOptions
{
    public const string Section = "Events";

    /// <summary>
    /// Also publish every change on the account's Orleans stream (<see cref="ContactEvents.StreamProvider"/>), for
    /// subscribers inside the cluster. Off by default: webhooks are the durable delivery, and the stream costs a grain
    /// call and a queue hop per change.
    /// </summary>
    public bool Stream { get; set; }
}
