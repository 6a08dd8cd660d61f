using Microsoft.Extensions.Options;
using WalletGrains.Abstractions.Imports;
using WalletGrains.Grains.Common;
using WalletGrains.Grains.Routing;
using WalletGrains.Grains.Webhooks;

namespace WalletGrains.Grains.Contacts;

/// <summary>
/// One contact. Its memberships, its single owner and that owner's deadline live here and change one call at a
/// time, so exclusive ownership holds whatever the interleaving of requests across silos. An expired binding is
/// never honoured: every call checks the deadline first; a timer fires it while active; the sharded expiry sweep
/// fires it when the grain is not active or its silo died. The durable index entries this state names (its account's
/// directory, its wallets' member lists, its deadline's expiry bucket) are written by its storage together with it
/// (<see cref="ContactState"/>); the wallets' in-memory member lists are told each change once it is stored, and each
/// activation first tells them what the stored state holds, so a change whose telling failed is caught up on the next call.
/// </summary>
[CollectionAgeLimit(Minutes = 15)]
internal sealed class ContactGrain(
    [PersistentState("contact", Stores.Contacts)] IPersistentState<ContactState> contact,
    TimeProvider clock,
    RoutingFacts facts,
    StickyRoutes sticky,
    WebhookSubscribers webhooks,
    IOptions<ContactEventOptions> eventOptions) : Grain, IContactGrain, IDisposable
{
    private const int MaxCustomAttributes = 50;
    private const int MaxAttributeLength = 256;

    // A deadline further away than this gets no timer yet: an idle contact is collected well before it
    // (CollectionAgeLimit below) and the sweep fires it then; a contact kept busy re-arms on its calls as it nears.
    private static readonly TimeSpan TimerHorizon = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan RestrictionCacheTime = TimeSpan.FromSeconds(5);

    // Allocated on first use: most resident contacts are only read, and a million of them must fit in 2 GiB.
    private WriteGate? _writeGate;
    private List<ContactEvent>? _recorded;
    private ContactOutbox? _outbox;
    private IGrainTimer? _deadlineTimer;
    private DateTimeOffset? _armedFor;
    private bool? _restricted;
    private DateTimeOffset _restrictedReadAt;
    private string? _claimingPhone;
    private bool _indexReconciled;
    private StickyRoute? _published;

    private Guid Id => this.GetPrimaryKey();

    private DateTimeOffset Now => clock.GetUtcNow();

    private ContactState S => contact.State;

    private ContactOutbox WebhookOutbox => _outbox ??= new ContactOutbox(this, GrainFactory, clock, () => S, Save);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ArmDeadlineTimer();

        // Events stored but not acknowledged before the last activation ended are handed off again.
        if (contact.RecordExists && S.Outbox.Count > 0)
        {
            WebhookOutbox.HandOff();
        }

        return Task.CompletedTask;
    }

    public async Task<Result<ContactView>> Create(Caller caller, CreateContact command)
    {
        if (contact.RecordExists)
        {
            return DomainError.Conflict(ErrorCodes.ContactExists, "The contact already exists.");
        }

        var phone = PhoneNumbers.Validate(command.PhoneNumber);
        if (!phone.IsSuccess)
        {
            return phone.Error!;
        }

        if ((ValidateName(command.Name) ?? ValidateAttributes(command.Attributes) ?? ValidateStatus(command.Status)) is { } invalid)
        {
            return invalid;
        }

        _claimingPhone = phone.Value;
        try
        {
            if (await Start(caller, phone.Value!, command.Name?.Trim(), command.Status ?? ContactStatus.Active, command.Attributes ?? ContactAttributes.None) is { } taken)
            {
                return taken;
            }

            // Stored with its entry in the account's directory.
            await Save();
        }
        finally
        {
            _claimingPhone = null;
        }

        await ApplyCriteria(caller);
        return View();
    }

    public async Task<Result<ContactView>> Get(Caller caller)
    {
        if (await Access(caller) is { } denied)
        {
            return denied;
        }

        await ExpireDue(actor: null);
        return View();
    }

    public async Task<Result<ContactView>> Update(Caller caller, UpdateContact command)
    {
        if (await Access(caller) is { } denied)
        {
            return denied;
        }

        if ((ValidateName(command.Name) ?? ValidateAttributes(command.Attributes) ?? ValidateStatus(command.Status)) is { } invalid)
        {
            return invalid;
        }

        await ExpireDue(actor: null);
        contact.State = S with
        {
            Name = command.Name?.Trim() ?? S.Name,
            Attributes = command.Attributes ?? S.Attributes,
            Status = command.Status ?? S.Status,
            UpdatedAt = Now,
        };
        await Save();
        if (command.Attributes is not null)
        {
            await ApplyCriteria(caller);
        }

        return View();
    }

    public async Task<Result<ContactView>> Include(Caller caller, Guid walletId, MembershipSource source, Guid? ownerUserId)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins change wallet memberships.");
        }

        await ExpireDue(actor: null);
        var wallet = await WalletOf(caller, walletId);
        if (wallet is null)
        {
            return WalletNotFound();
        }

        var member = S.MembershipOf(walletId);
        if (member is null && !wallet.Available)
        {
            return DomainError.Conflict(ErrorCodes.WalletUnavailable, "The wallet has no responsible user and no manager, so it accepts no new contacts.");
        }

        if (ownerUserId is { } owner && await OwnerRefusal(wallet, owner, S.Owner, "ownerUserId") is { } refused)
        {
            return refused;
        }

        if (member is null)
        {
            Join(wallet, source, caller.UserId);
        }

        if (ownerUserId is { } newOwner && S.Owner is null)
        {
            Bind(wallet, newOwner, HistoryKind.Bound, caller.UserId, "included");
        }

        await Save();
        await Index(walletId).Set(Id, S.Owner?.WalletId == walletId ? S.Owner.UserId : null);
        return View();
    }

    public async Task<Result<ContactView>> Remove(Caller caller, Guid walletId)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins change wallet memberships.");
        }

        await ExpireDue(actor: null);
        if (S.MembershipOf(walletId) is null)
        {
            return DomainError.NotFound(ErrorCodes.ContactNotMember, "The contact is not in this wallet.");
        }

        Leave(walletId, caller.UserId, "removed");
        await Save();
        await Index(walletId).Remove(Id);
        return View();
    }

    public async Task<Result<ContactView>> Transfer(Caller caller, Guid walletId, Guid toUserId)
    {
        if (!Visible(caller))
        {
            return NotFound();
        }

        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins transfer contacts.");
        }

        await ExpireDue(actor: null);
        var wallet = await WalletOf(caller, walletId);
        if (wallet is null)
        {
            return WalletNotFound();
        }

        if (wallet.Type != WalletType.Single)
        {
            return DomainError.Invalid(ErrorCodes.OwnerNotAllowed, "Ownership exists only in Single wallets.", "walletId");
        }

        if (!wallet.Names(toUserId) || !(await facts.User(GrainFactory, toUserId)).CanOwn)
        {
            return DomainError.Invalid(ErrorCodes.OwnerNotInWallet, $"User {toUserId} is not responsible for this wallet.", "toUserId");
        }

        if (S.MembershipOf(walletId) is null)
        {
            if (!wallet.Available)
            {
                return DomainError.Conflict(ErrorCodes.WalletUnavailable, "The wallet accepts no new contacts.");
            }

            Join(wallet, MembershipSource.Manual, caller.UserId);
        }

        var previous = S.Owner;
        if (previous is not null)
        {
            Release(HistoryKind.Released, caller.UserId, "transfer");
        }

        Bind(wallet, toUserId, HistoryKind.Transferred, caller.UserId, "transfer");
        await Save();
        if (previous is not null && previous.WalletId != walletId)
        {
            await Index(previous.WalletId).Set(Id, null);
        }

        await Index(walletId).Set(Id, toUserId);
        return View();
    }

    public async Task<Result<IReadOnlyList<HistoryEntry>>> History(Caller caller)
    {
        if (await Access(caller) is { } denied)
        {
            return denied;
        }

        await ExpireDue(actor: null);
        return S.History.Reverse().ToList();
    }

    public async Task<Result<RouteDecision>> Route(Caller caller)
    {
        if (await Access(caller) is { } denied)
        {
            return denied;
        }

        await ExpireDue(actor: null);

        // 1–2. A bound owner: the sticky path reads this grain's state and this silo's routing facts, and writes nothing.
        // The stored owner is then published to this silo's gateway, which answers the next routes the same way.
        if (S.Owner is { } owner)
        {
            var (decision, who) = await StickyRoutes.Sticky(facts, GrainFactory, owner, Now);
            if (decision is not null)
            {
                PublishSticky(owner);
                return decision;
            }

            await OwnerGone(who.Exists ? "owner-blocked" : "owner-deleted");
        }

        var wallets = new List<(Membership Member, WalletRouting Wallet)>();
        foreach (var member in S.Memberships)
        {
            if ((await facts.Wallet(GrainFactory, member.WalletId)).Routing is { } wallet && wallet.AccountId == S.AccountId)
            {
                wallets.Add((member, wallet));
            }
        }

        // 3. A Single wallet with no owner: automatic wallets bind the team's pick; manual ones queue.
        foreach (var (_, wallet) in wallets.Where(w => w.Wallet.Type == WalletType.Single).OrderBy(w => w.Member.JoinedAt))
        {
            if (!wallet.AutomaticAttribution)
            {
                return new RouteDecision(RouteDecision.WalletQueue, wallet.Id, null, wallet.FirstTeam?.TeamId, []);
            }

            foreach (var team in wallet.Teams)
            {
                var pick = await Team(team.TeamId).Pick(team.UserIds ?? []);
                if (pick.UserId is { } chosen)
                {
                    Bind(wallet, chosen, HistoryKind.Bound, actor: null, "auto-assigned", team.TeamId);
                    await Save();
                    await Index(wallet.Id).Set(Id, chosen);
                    return new RouteDecision(RouteDecision.AutoAssigned, wallet.Id, chosen, team.TeamId, pick.Candidates);
                }
            }

            return new RouteDecision(RouteDecision.WalletQueue, wallet.Id, null, wallet.FirstTeam?.TeamId, []);
        }

        // 4. Only shared wallets: the best-ranked one suggests a user; nobody becomes owner.
        var shared = wallets.Where(w => w.Wallet.Type == WalletType.Multiple)
            .OrderByDescending(w => w.Wallet.Available)
            .ThenByDescending(w => w.Wallet.Criteria?.RuleCount ?? 0)
            .ThenBy(w => w.Member.JoinedAt)
            .Select(w => w.Wallet)
            .FirstOrDefault();
        if (shared is not null)
        {
            var team = shared.FirstTeam;
            var pick = team is null ? new Assignment(null, []) : await Team(team.TeamId).Pick(team.UserIds ?? []);
            return new RouteDecision(RouteDecision.SharedWallet, shared.Id, pick.UserId, team?.TeamId, pick.Candidates);
        }

        // 5. In no wallet: the account's default team.
        var account = await GrainFactory.ByGuid<IAccountGrain>(S.AccountId).Get(caller);
        return new RouteDecision(RouteDecision.NoWallet, null, null, account.Value?.DefaultTeamId, []);
    }

    public async Task<Result<ContactView>> Assume(Caller caller, Guid userId)
    {
        if (await Access(caller) is { } denied)
        {
            return denied;
        }

        await ExpireDue(actor: null);
        if (S.Owner is not null)
        {
            return View();
        }

        var user = User(userId);
        if (!(await user.Get(caller)).IsSuccess)
        {
            return DomainError.NotFound(ErrorCodes.UserNotFound, "No such user in this account.");
        }

        if (!(await facts.User(GrainFactory, userId)).CanOwn)
        {
            return View();
        }

        foreach (var walletId in await user.Wallets())
        {
            var wallet = (await facts.Wallet(GrainFactory, walletId)).Routing;
            if (wallet is { Type: WalletType.Single, AutomaticAttribution: true, Available: true } && wallet.AccountId == S.AccountId && wallet.Names(userId))
            {
                if (S.MembershipOf(walletId) is null)
                {
                    Join(wallet, MembershipSource.Automatic, caller.UserId);
                }

                Bind(wallet, userId, HistoryKind.Bound, caller.UserId, "assumed");
                await Save();
                await Index(walletId).Set(Id, userId);
                break;
            }
        }

        return View();
    }

    public async Task<Result<ContactView>> Complete(Caller caller, Guid userId, Classification? classification)
    {
        if (await Access(caller) is { } denied)
        {
            return denied;
        }

        if (classification is not { } outcome || !Enum.IsDefined(outcome))
        {
            return DomainError.Invalid(ErrorCodes.ClassificationInvalid, "classification is required: WON, LOST, INFO or OTHER.", "classification");
        }

        if (!(await User(userId).Get(caller)).IsSuccess)
        {
            return DomainError.NotFound(ErrorCodes.UserNotFound, "No such user in this account.");
        }

        await ExpireDue(actor: null);
        if (outcome == Classification.Won && S.Owner is { } owner)
        {
            Release(HistoryKind.Released, caller.UserId, "sale");
            await Save();
            await Index(owner.WalletId).Set(Id, null);
        }

        return View();
    }

    public async Task<DomainError?> Import(Caller caller, ImportContact row)
    {
        if (!caller.IsAdmin)
        {
            return DomainError.Forbidden(ErrorCodes.Forbidden, "Only admins import contacts.");
        }

        var creating = !contact.RecordExists;
        if (creating ? row.Phone is null : !Visible(caller))
        {
            return NotFound().Error;
        }

        var phone = creating ? PhoneNumbers.Validate(row.Phone) : S.Phone;
        if (!phone.IsSuccess)
        {
            return phone.Error;
        }

        if ((ValidateName(row.Name) ?? ValidateAttributes(row.Attributes)) is { } invalid)
        {
            return invalid;
        }

        if (!creating)
        {
            await ExpireDue(actor: null);
        }

        // Every check comes before any change: against the memberships the contact has once its criteria are applied.
        var memberships = creating ? [] : S.Memberships;
        var name = row.Name?.Trim() is { } given && (creating || given != S.Name) ? given : null;
        var attributes = creating ? row.Attributes ?? ContactAttributes.None : Merged(S.Attributes, row.Attributes);
        var plan = creating || attributes is not null
            ? await PlanCriteria(caller.AccountId, attributes ?? S.Attributes, memberships)
            : CriteriaPlan.None;
        var owner = creating ? null : S.Owner;
        var joins = new List<(WalletRouting Wallet, Guid? Owner)>();
        foreach (var target in row.Wallets)
        {
            var wallet = await WalletOf(caller, target.WalletId);
            if (wallet is null)
            {
                return InWallet(target, WalletNotFound().Error!);
            }

            var isMember = (memberships.Any(m => m.WalletId == wallet.Id) && !plan.Leave.Contains(wallet.Id)) || plan.Join.Any(w => w.Id == wallet.Id);
            if (isMember && (target.Owner is null || (owner?.WalletId == wallet.Id && owner.UserId == target.Owner)))
            {
                continue;
            }

            if (!isMember && !wallet.Available)
            {
                return DomainError.Conflict(ErrorCodes.WalletUnavailable, $"Wallet '{target.WalletName}' has no responsible user and no manager, so it accepts no new contacts.");
            }

            if (target.Owner is { } user && await OwnerRefusal(wallet, user, owner, "owner") is { } refused)
            {
                // An owner elsewhere is about the contact, not about this wallet.
                return refused.Code == ErrorCodes.ContactAlreadyOwned ? refused : InWallet(target, refused);
            }

            joins.Add((wallet, target.Owner));
        }

        if (!creating && name is null && attributes is null && joins.Count == 0)
        {
            return null;
        }

        _claimingPhone = creating ? phone.Value : null;
        try
        {
            if (creating)
            {
                if (await Start(caller, phone.Value!, name, ContactStatus.Active, attributes!) is { } taken)
                {
                    return taken;
                }
            }
            else
            {
                contact.State = S with { Name = name ?? S.Name, Attributes = attributes ?? S.Attributes, UpdatedAt = Now };
            }

            Apply(plan, caller.UserId);
            foreach (var (wallet, bound) in joins)
            {
                if (S.MembershipOf(wallet.Id) is null)
                {
                    Join(wallet, MembershipSource.Import, caller.UserId);
                }

                if (bound is { } user && S.Owner is null)
                {
                    Bind(wallet, user, HistoryKind.Bound, caller.UserId, "included");
                }
            }

            // Stored with its entries in the account's directory and its wallets' member lists.
            await Save();
        }
        finally
        {
            _claimingPhone = null;
        }

        await TellWallets(plan.Join.Select(w => w.Id).Concat(plan.Leave).Concat(joins.Select(j => j.Wallet.Id)));
        return null;
    }

    public Task<bool> HoldsPhone(string phone) =>
        Task.FromResult(_claimingPhone == phone || (contact.RecordExists && S.Phone == phone));

    public Task ExpireIfDue() => ExpireDue(actor: null);

    public async Task WalletDeleted(Guid walletId)
    {
        if (contact.RecordExists && S.MembershipOf(walletId) is not null)
        {
            Leave(walletId, actor: null, "wallet-deleted");
            await Save();
        }
    }

    public async Task WalletChanged(Guid walletId, WalletType type)
    {
        if (!contact.RecordExists || S.MembershipOf(walletId) is not { } member || member.Type == type)
        {
            return;
        }

        // A wallet that stops being Single keeps its contacts without owners.
        var owned = S.Owner?.WalletId == walletId;
        if (owned)
        {
            Release(HistoryKind.Released, actor: null, "wallet-type-changed");
        }

        contact.State = S with { Memberships = S.Memberships.Select(m => m.WalletId == walletId ? m with { Type = type } : m).ToArray() };
        await Save();
        if (owned)
        {
            await Index(walletId).Set(Id, null);
        }
    }

    public async Task OwnerRemoved(Guid userId, string reason)
    {
        if (contact.RecordExists && S.Owner?.UserId == userId)
        {
            await OwnerGone(reason);
        }
    }

    /// <summary>When the activation ends (Orleans disposes it however it ends): its timer and its published route go with it.</summary>
    public void Dispose()
    {
        _deadlineTimer?.Dispose();
        WithdrawSticky();
    }

    /// <summary>
    /// Lets this silo's gateway answer sticky routes from the stored owner (see <see cref="StickyRoutes"/>), agents
    /// included while the account's restriction flag, as last read here, is fresh.
    /// </summary>
    private void PublishSticky(Ownership owner)
    {
        DateTimeOffset? openToAgentsUntil = _restricted == false ? _restrictedReadAt + RestrictionCacheTime : null;
        if (_published is { } held && ReferenceEquals(held.Owner, owner) && held.OpenToAgentsUntil == openToAgentsUntil)
        {
            return;
        }

        _published = new StickyRoute(S.AccountId, owner, openToAgentsUntil);
        sticky.Publish(Id, _published);
    }

    private void WithdrawSticky()
    {
        if (_published is { } held)
        {
            sticky.Withdraw(Id, held);
            _published = null;
        }
    }

    /// <summary>The owner was blocked or deleted: the contact stays in the wallet with no owner.</summary>
    private async Task OwnerGone(string reason)
    {
        var walletId = S.Owner!.WalletId;
        Release(HistoryKind.Released, actor: null, reason);
        await Save();
        await Index(walletId).Set(Id, null);
    }

    /// <summary>
    /// Why <paramref name="userId"/> cannot own the contact in this wallet (null when it can): ownership exists only in
    /// Single wallets, for a user the wallet names who may own contacts, and the contact has at most one owner.
    /// </summary>
    private async Task<DomainError?> OwnerRefusal(WalletRouting wallet, Guid userId, Ownership? current, string field)
    {
        if (wallet.Type != WalletType.Single)
        {
            return DomainError.Invalid(ErrorCodes.OwnerNotAllowed, "Only Single wallets have owners.", field);
        }

        if (!wallet.Names(userId) || !(await facts.User(GrainFactory, userId)).CanOwn)
        {
            return DomainError.Invalid(ErrorCodes.OwnerNotInWallet, $"User {userId} is not responsible for this wallet.", field);
        }

        return current is not null && (current.WalletId != wallet.Id || current.UserId != userId)
            ? DomainError.Conflict(ErrorCodes.ContactAlreadyOwned, $"The contact is already owned by user {current.UserId} in wallet {current.WalletId}.")
            : null;
    }

    /// <summary>Claims the phone for this contact and, once it holds it, makes the new contact's state (not yet stored).</summary>
    private async Task<DomainError?> Start(Caller caller, string phone, string? name, ContactStatus status, ContactAttributes attributes)
    {
        var holder = await GrainFactory.ByString<IContactPhoneGrain>(PhoneNumbers.Key(caller.AccountId, phone)).Claim(Id);
        if (holder != Id)
        {
            return DomainError.Conflict(ErrorCodes.ContactPhoneTaken, $"Contact {holder} already has phone number {phone}.");
        }

        var now = Now;
        contact.State = new ContactState
        {
            AccountId = caller.AccountId,
            Phone = phone,
            Name = name,
            Status = status,
            Attributes = attributes,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return null;
    }

    /// <summary>Releases an owner whose deadline has passed. Every entry point calls this first.</summary>
    private async Task ExpireDue(Guid? actor)
    {
        if (!_indexReconciled)
        {
            await ReconcileIndex();
        }

        if (contact.RecordExists && S.Owner is { } owner && owner.IsDue(Now))
        {
            Release(HistoryKind.Expired, actor, "time-limit");
            await Save();
            await Index(owner.WalletId).Set(Id, null);
        }
        else
        {
            ArmDeadlineTimer();
        }
    }

    /// <summary>
    /// Once per activation: tells every wallet the contact is in who owns it there, and every wallet it left that it
    /// left (their in-memory member lists; the durable entries were stored with the state). A request that failed
    /// between storing the contact and telling a wallet would otherwise leave that wallet's list behind until the next change.
    /// </summary>
    private async Task ReconcileIndex()
    {
        if (contact.RecordExists)
        {
            var current = S.Memberships.Select(m => Index(m.WalletId).Set(Id, S.Owner?.WalletId == m.WalletId ? S.Owner.UserId : null));
            var left = S.History
                .Where(h => h.Kind == HistoryKind.Left && h.Reason != "wallet-deleted" && S.MembershipOf(h.WalletId) is null)
                .Select(h => h.WalletId).Distinct()
                .Select(walletId => Index(walletId).Remove(Id));
            await Task.WhenAll(current.Concat(left));
        }

        _indexReconciled = true;
    }

    private void Join(WalletRouting wallet, MembershipSource source, Guid? actor)
    {
        contact.State = S with { Memberships = Appended(S.Memberships, new Membership(wallet.Id, wallet.Type, source, Now)) };
        Record(HistoryKind.Joined, wallet.Id, null, actor, ReasonOf(source));
    }

    private void Leave(Guid walletId, Guid? actor, string reason)
    {
        if (S.Owner?.WalletId == walletId)
        {
            Release(HistoryKind.Released, actor, reason);
        }

        contact.State = S with { Memberships = S.Memberships.Where(m => m.WalletId != walletId).ToArray() };
        Record(HistoryKind.Left, walletId, null, actor, reason);
    }

    /// <summary>Makes the user the owner. The state is stored with its deadline's expiry bucket entry, so no deadline goes unswept.</summary>
    private void Bind(WalletRouting wallet, Guid userId, HistoryKind kind, Guid? actor, string reason, Guid? teamId = null)
    {
        var now = Now;
        var deadline = wallet.TimeLimit?.AddTo(now);
        contact.State = S with { Owner = new Ownership(wallet.Id, userId, teamId ?? wallet.TeamOf(userId), now, deadline) };
        Record(kind, wallet.Id, userId, actor, reason);
        User(userId).AdjustLoad(1).Ignore();
        ArmDeadlineTimer();
    }

    private void Release(HistoryKind kind, Guid? actor, string reason)
    {
        var owner = S.Owner!;
        contact.State = S with { Owner = null };
        Record(kind, owner.WalletId, owner.UserId, actor, reason);
        User(owner.UserId).AdjustLoad(-1).Ignore();

        ArmDeadlineTimer();
    }

    private void Record(HistoryKind kind, Guid walletId, Guid? userId, Guid? actor, string reason)
    {
        var sequence = S.Sequence + 1;
        contact.State = S with
        {
            Sequence = sequence,
            History = Appended(S.History, new HistoryEntry(sequence, Now, kind, walletId, userId, actor, reason), ContactState.MaxHistory),
            UpdatedAt = Now,
        };
        (_recorded ??= []).Add(new ContactEvent(Guid.CreateVersion7(), S.AccountId, Id, sequence, Now, kind, walletId, userId, actor, reason));
    }

    /// <summary>Joins automatic Multiple wallets whose criteria match and leaves automatic ones that no longer do.</summary>
    private async Task ApplyCriteria(Caller caller)
    {
        var plan = await PlanCriteria(S.AccountId, S.Attributes, S.Memberships);
        if (plan.Join.Count + plan.Leave.Count > 0)
        {
            Apply(plan, caller.UserId);
            await Save();
            await TellWallets(plan.Join.Select(w => w.Id).Concat(plan.Leave));
        }
    }

    /// <summary>
    /// The automatic Multiple wallets a contact with these attributes and memberships joins (those whose criteria match)
    /// and leaves (automatic memberships whose criteria no longer match). Changes nothing.
    /// </summary>
    private async Task<CriteriaPlan> PlanCriteria(Guid accountId, ContactAttributes attributes, IReadOnlyList<Membership> memberships)
    {
        var automatic = await GrainFactory.ByGuid<IWalletCatalogGrain>(accountId).AutomaticMultiple();
        var matching = automatic.Where(w => w.Criteria?.Matches(attributes) ?? true).ToList();
        var join = new List<WalletRouting>();

        // An unavailable wallet takes no new contacts but keeps those that still match.
        foreach (var wallet in matching.Where(w => w.Available && !memberships.Any(m => m.WalletId == w.Id)))
        {
            if ((await facts.Wallet(GrainFactory, wallet.Id)).Routing is { } routing)
            {
                join.Add(routing);
            }
        }

        var leave = memberships
            .Where(m => m.Source == MembershipSource.Automatic && m.Type == WalletType.Multiple && matching.All(w => w.Id != m.WalletId))
            .Select(m => m.WalletId).ToList();
        return new CriteriaPlan(join, leave);
    }

    private void Apply(CriteriaPlan plan, Guid? actor)
    {
        foreach (var wallet in plan.Join)
        {
            Join(wallet, MembershipSource.Automatic, actor);
        }

        foreach (var walletId in plan.Leave)
        {
            Leave(walletId, actor, "criteria");
        }
    }

    /// <summary>Tells the wallets' member lists what the stored state now says of the contact there: its owner there, or that it left.</summary>
    private Task TellWallets(IEnumerable<Guid> walletIds) => Task.WhenAll(walletIds.Distinct().Select(walletId =>
        S.MembershipOf(walletId) is null ? Index(walletId).Remove(Id) : Index(walletId).Set(Id, S.Owner?.WalletId == walletId ? S.Owner.UserId : null)));

    /// <summary>Arms the timer for the owner's deadline; a no-op when it is already armed for that deadline (the hot path).</summary>
    private void ArmDeadlineTimer()
    {
        var deadline = contact.RecordExists ? S.Owner?.Deadline : null;
        if (deadline == _armedFor && (_deadlineTimer is not null || deadline is null))
        {
            return;
        }

        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        _armedFor = deadline;
        if (deadline is { } due && due - Now <= TimerHorizon)
        {
            var wait = due - Now;
            wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
            _deadlineTimer = this.RegisterGrainTimer(
                static (grain, _) => grain.OnDeadlineTimer(),
                this,
                new GrainTimerCreationOptions { DueTime = wait, Period = Timeout.InfiniteTimeSpan, Interleave = false });
        }
    }

    private async Task OnDeadlineTimer()
    {
        // The timer has fired: forget it, so that a later deadline is armed afresh.
        _deadlineTimer?.Dispose();
        _deadlineTimer = null;
        _armedFor = null;
        try
        {
            await ExpireDue(actor: null);
        }
        catch
        {
            // As for a failed call (DeactivateOnFailureFilter): drop what memory holds; the sweep retries from the store.
            this.DeactivateOnIdle();
            throw;
        }
    }

    private async Task<DomainError?> Access(Caller caller)
    {
        if (!Visible(caller))
        {
            return NotFound().Error;
        }

        if (caller.IsAdmin)
        {
            return null;
        }

        // restrictContactAccess: an agent that belongs to some wallet sees only its wallets' contacts. The account's
        // flag is cached per activation for a few seconds, so agents' routes do not all call the account grain.
        if (_restricted is null || Now - _restrictedReadAt > RestrictionCacheTime)
        {
            var account = await GrainFactory.ByGuid<IAccountGrain>(S.AccountId).Get(caller);
            _restricted = account.Value is { RestrictContactAccess: true };
            _restrictedReadAt = Now;
        }

        if (_restricted == false)
        {
            return null;
        }

        var mine = await User(caller.UserId).Wallets();
        return mine.Count == 0 || S.Memberships.Any(m => mine.Contains(m.WalletId)) ? null : NotFound().Error;
    }

    private bool Visible(Caller caller) => contact.RecordExists && S.AccountId == caller.AccountId;

    private async Task<WalletRouting?> WalletOf(Caller caller, Guid walletId) =>
        (await facts.Wallet(GrainFactory, walletId)).Routing is { } wallet && wallet.AccountId == caller.AccountId ? wallet : null;

    /// <summary>
    /// Stores the state, with the recorded changes in the webhook outbox when the account has subscriptions, then
    /// publishes them (after the write: no event for a change that was not stored).
    /// </summary>
    private async Task Save()
    {
        // Taken for this write (a change recorded while it is under way goes with the next one), and no list stays
        // behind in a resident contact that does not change again.
        var recorded = _recorded;
        _recorded = null;

        // No route is answered from the stored owner while it changes: they come here, after this write.
        WithdrawSticky();
        var subscribed = recorded is { Count: > 0 } && await webhooks.Any(S.AccountId);
        if (subscribed || S.Outbox.Count > 0)
        {
            contact.State = S with { Outbox = WebhookOutbox.Pending(S.Outbox, subscribed ? recorded! : []) };
        }

        var writes = _writeGate ??= new WriteGate();
        if (S.Outbox.Count > 0)
        {
            await Task.WhenAll(writes.Write(contact), WebhookOutbox.WakeUpLater(Id));
            WebhookOutbox.HandOff();
        }
        else
        {
            await writes.Write(contact);
        }

        if (recorded is not { Count: > 0 } || !eventOptions.Value.Stream)
        {
            return;
        }

        var stream = this.GetStreamProvider(ContactEvents.StreamProvider)
            .GetStream<ContactEvent>(StreamId.Create(ContactEvents.Namespace, S.AccountId));
        foreach (var change in recorded)
        {
            await stream.OnNextAsync(change);
        }
    }

    /// <summary>A join's history reason: the source's API name, one string shared by every contact.</summary>
    private static string ReasonOf(MembershipSource source) => source switch
    {
        MembershipSource.Manual => "manual",
        MembershipSource.Automatic => "automatic",
        MembershipSource.Import => "import",
        MembershipSource.Api => "api",
        _ => source.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The list with the item added last, of at most <paramref name="max"/> items (the oldest dropped), as an array of
    /// that exact length: a resident contact keeps no list wrapper or spare capacity.
    /// </summary>
    private static T[] Appended<T>(IReadOnlyList<T> list, T item, int max = int.MaxValue)
    {
        var kept = Math.Min(list.Count, max - 1);
        var items = new T[kept + 1];
        for (var i = 0; i < kept; i++)
        {
            items[i] = list[list.Count - kept + i];
        }

        items[kept] = item;
        return items;
    }

    /// <summary>The automatic Multiple wallets a contact's criteria make it join and leave.</summary>
    private sealed record CriteriaPlan(IReadOnlyList<WalletRouting> Join, IReadOnlyList<Guid> Leave)
    {
        public static readonly CriteriaPlan None = new([], []);
    }

    private IUserGrain User(Guid id) => GrainFactory.ByGuid<IUserGrain>(id);

    private ITeamGrain Team(Guid id) => GrainFactory.ByGuid<ITeamGrain>(id);

    private IWalletMembersGrain Index(Guid walletId) =>
        GrainFactory.ByString<IWalletMembersGrain>(IWalletMembersGrain.Key(walletId, IWalletMembersGrain.ShardOf(Id)));

    private ContactView View() => new(
        Id, S.AccountId, S.Phone, S.Name, S.Status, S.Attributes,
        [.. S.Memberships.Select(m => new MembershipView(
            m.WalletId, m.Type, m.Source, m.JoinedAt,
            S.Owner?.WalletId == m.WalletId ? S.Owner.UserId : null,
            S.Owner?.WalletId == m.WalletId ? S.Owner.Deadline : null))],
        S.CreatedAt, S.UpdatedAt);

    private static DomainError? ValidateName(string? name) =>
        name is not null && name.Trim().Length > Names.MaxLength
            ? DomainError.Invalid(ErrorCodes.ContactNameInvalid, "name must be at most 128 characters.", "name")
            : null;

    private static DomainError? ValidateStatus(ContactStatus? status) =>
        status is { } s && !Enum.IsDefined(s)
            ? DomainError.Invalid(ErrorCodes.ContactStatusInvalid, "status must be Active, Archived or Blocked.", "status")
            : null;

    private static DomainError? ValidateAttributes(ContactAttributes? attributes)
    {
        if (attributes is null)
        {
            return null;
        }

        string?[] texts = [attributes.Region, attributes.Segment, attributes.Importance];
        if (texts.Any(t => t?.Length > MaxAttributeLength))
        {
            return DomainError.Invalid(ErrorCodes.ContactAttributesInvalid, "Attribute values must be at most 256 characters.", "attributes");
        }

        return attributes.Custom is { } custom
            && (custom.Count > MaxCustomAttributes || custom.Any(c => string.IsNullOrWhiteSpace(c.Key) || c.Key.Length > 64 || c.Value is null || c.Value.Length > MaxAttributeLength))
            ? DomainError.Invalid(ErrorCodes.ContactAttributesInvalid, "Up to 50 custom fields, each with a name of 1–64 and a value of at most 256 characters.", "attributes.custom")
            : null;
    }

    /// <summary>The attributes once an import row's non-empty cells replace what they name; null when nothing changes.</summary>
    private static ContactAttributes? Merged(ContactAttributes now, ContactAttributes? set)
    {
        if (set is null)
        {
            return null;
        }

        var custom = new Dictionary<string, string>(now.Custom ?? new Dictionary<string, string>());
        foreach (var (key, value) in set.Custom ?? new Dictionary<string, string>())
        {
            custom[key] = value;
        }

        var merged = new ContactAttributes(
            set.Region ?? now.Region, set.Revenue ?? now.Revenue, set.Segment ?? now.Segment, set.Importance ?? now.Importance,
            custom.Count > 0 ? custom : null);
        var changed = merged.Region != now.Region || merged.Revenue != now.Revenue || merged.Segment != now.Segment
            || merged.Importance != now.Importance || custom.Count != (now.Custom?.Count ?? 0)
            || custom.Any(c => now.Custom?.GetValueOrDefault(c.Key) != c.Value);
        return changed ? merged : null;
    }

    /// <summary>A row's error about one of its wallets, naming that wallet as the row does.</summary>
    private static DomainError InWallet(ImportMembership target, DomainError error) =>
        error with { Message = $"Wallet '{target.WalletName}': {error.Message}" };

    private static Result<ContactView> NotFound() => DomainError.NotFound(ErrorCodes.ContactNotFound, "No such contact in this account.");

    private static Result<ContactView> WalletNotFound() => DomainError.NotFound(ErrorCodes.WalletNotFound, "No such wallet in this account.");
}
