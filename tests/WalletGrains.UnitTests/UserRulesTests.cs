namespace WalletGrains.UnitTests;

/// <summary>Spec §1 User and §3 Authentication: tokens bound to one account and user, only admins manage users.</summary>
public sealed class UserRulesTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Grains;

    private ITokenGrain TokenOf(string token) => Grains.GetGrain<ITokenGrain>(Tokens.Hash(token));

    [Fact]
    public async Task Creating_a_user_issues_a_token_that_authenticates_as_that_user()
    {
        var tenant = await Tenant.Create(Grains);
        var id = Guid.NewGuid();

        var user = Tenant.Value(await tenant.UserGrain(id).Create(
            tenant.Admin, new CreateUser(" Bruno Lima ", UserProfile.RestrictedAgent, Availability.Unavailable, "bruno@acme.test")));

        Assert.Equal(id, user.Id);
        Assert.Equal(tenant.Account.Id, user.AccountId);
        Assert.Equal("Bruno Lima", user.Name);
        Assert.Equal(UserProfile.RestrictedAgent, user.Profile);
        Assert.Equal(UserStatus.Active, user.Status);
        Assert.Equal(Availability.Unavailable, user.Availability);
        Assert.False(string.IsNullOrWhiteSpace(user.Token));
        Assert.Equal(
            new Principal(tenant.Account.Id, id, UserProfile.RestrictedAgent, UserStatus.Active),
            await TokenOf(user.Token!).Authenticate());
    }

    [Fact]
    public async Task Every_user_gets_its_own_token()
    {
        var tenant = await Tenant.Create(Grains);

        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");

        Assert.NotEqual(ana.Token, bia.Token);
        Assert.Equal(bia.Id, (await TokenOf(bia.Token!).Authenticate())?.UserId);
        Assert.Null(await TokenOf(ana.Token! + "x").Authenticate());
    }

    [Fact]
    public async Task The_token_is_shown_only_in_the_creation_answer()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();

        Assert.Null(Tenant.Value(await tenant.UserGrain(ana.Id).Get(tenant.Admin)).Token);
        Assert.Null(Tenant.Value(await tenant.UserGrain(ana.Id).Update(tenant.Admin, new UpdateUser(Name: "Ana Paula"))).Token);
    }

    [Fact]
    public async Task A_user_created_without_profile_or_availability_is_an_available_agent()
    {
        var tenant = await Tenant.Create(Grains);

        var user = Tenant.Value(await tenant.UserGrain(Guid.NewGuid()).Create(tenant.Admin, new CreateUser("Caio", null, null)));

        Assert.Equal((UserProfile.Agent, Availability.Available, UserStatus.Active), (user.Profile, user.Availability, user.Status));
    }

    [Theory]
    [InlineData(UserProfile.Agent)]
    [InlineData(UserProfile.RestrictedAgent)]
    public async Task Only_admins_create_users(UserProfile profile)
    {
        var tenant = await Tenant.Create(Grains);
        var agent = await tenant.User("Bruno", profile);
        var id = Guid.NewGuid();

        Tenant.Refused(
            await tenant.UserGrain(id).Create(tenant.CallerOf(agent), new CreateUser("Intruso", UserProfile.Admin, null)), ErrorCodes.Forbidden);

        Tenant.Refused(await tenant.UserGrain(id).Get(tenant.Admin), ErrorCodes.UserNotFound);
    }

    [Fact]
    public async Task Creating_a_user_twice_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");

        Tenant.Refused(await tenant.UserGrain(ana.Id).Create(tenant.Admin, new CreateUser("Outra", UserProfile.Admin, null)), ErrorCodes.UserExists);

        var now = Tenant.Value(await tenant.UserGrain(ana.Id).Get(tenant.Admin));
        Assert.Equal(("Ana", UserProfile.Agent), (now.Name, now.Profile));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t\n")]
    public async Task A_user_needs_a_name_that_is_not_blank(string? name)
    {
        var tenant = await Tenant.Create(Grains);
        var id = Guid.NewGuid();

        var error = Tenant.Refused(await tenant.UserGrain(id).Create(tenant.Admin, new CreateUser(name, UserProfile.Agent, null)), ErrorCodes.UserNameInvalid);

        Assert.Equal(ErrorKind.Invalid, error.Kind);
        Tenant.Refused(await tenant.UserGrain(id).Get(tenant.Admin), ErrorCodes.UserNotFound);
    }

    [Fact]
    public async Task A_user_name_may_have_128_characters_but_not_129()
    {
        var tenant = await Tenant.Create(Grains);
        var longest = new string('é', 128);

        Tenant.Refused(
            await tenant.UserGrain(Guid.NewGuid()).Create(tenant.Admin, new CreateUser(longest + "x", UserProfile.Agent, null)), ErrorCodes.UserNameInvalid);
        var user = Tenant.Value(await tenant.UserGrain(Guid.NewGuid()).Create(tenant.Admin, new CreateUser($"  {longest}  ", UserProfile.Agent, null)));

        Assert.Equal(longest, user.Name);
    }

    [Fact]
    public async Task Renaming_a_user_validates_the_name_and_a_refusal_changes_nothing()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var grain = tenant.UserGrain(ana.Id);

        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateUser(Name: " ", Availability: Availability.Unavailable)), ErrorCodes.UserNameInvalid);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateUser(Name: new string('a', 129))), ErrorCodes.UserNameInvalid);
        var unchanged = Tenant.Value(await grain.Get(tenant.Admin));
        Assert.Equal(("Ana", Availability.Available), (unchanged.Name, unchanged.Availability));

        Assert.Equal("Ana Paula", Tenant.Value(await grain.Update(tenant.Admin, new UpdateUser(Name: " Ana Paula "))).Name);
    }

    [Fact]
    public async Task Blocking_a_user_shows_on_its_token_and_unblocking_restores_it()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var grain = tenant.UserGrain(ana.Id);

        Assert.Equal(UserStatus.Blocked, Tenant.Value(await grain.Update(tenant.Admin, new UpdateUser(Status: UserStatus.Blocked))).Status);

        Assert.Equal(new Principal(tenant.Account.Id, ana.Id, UserProfile.Agent, UserStatus.Blocked), await TokenOf(ana.Token!).Authenticate());
        Assert.Equal(UserStatus.Blocked, Tenant.Value(await grain.Get(tenant.Admin)).Status);

        Tenant.Value(await grain.Update(tenant.Admin, new UpdateUser(Status: UserStatus.Active)));

        Assert.Equal(UserStatus.Active, (await TokenOf(ana.Token!).Authenticate())?.Status);
    }

    [Fact]
    public async Task Changing_a_users_profile_shows_on_its_token()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();

        Tenant.Value(await tenant.UserGrain(ana.Id).Update(tenant.Admin, new UpdateUser(Profile: UserProfile.Admin)));

        Assert.Equal(UserProfile.Admin, (await TokenOf(ana.Token!).Authenticate())?.Profile);
    }

    [Fact]
    public async Task Deleting_a_user_through_a_status_change_is_refused()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();

        Tenant.Refused(await tenant.UserGrain(ana.Id).Update(tenant.Admin, new UpdateUser(Status: UserStatus.Deleted)), ErrorCodes.UserStatusInvalid);

        Assert.Equal(UserStatus.Active, (await TokenOf(ana.Token!).Authenticate())?.Status);
    }

    [Fact]
    public async Task Deleting_a_user_revokes_its_token_and_the_user_is_not_found_any_more()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User();
        var grain = tenant.UserGrain(ana.Id);

        Tenant.Value(await grain.Delete(tenant.Admin));

        Assert.Null(await TokenOf(ana.Token!).Authenticate());
        Tenant.Refused(await grain.Get(tenant.Admin), ErrorCodes.UserNotFound);
        Tenant.Refused(await grain.Update(tenant.Admin, new UpdateUser(Status: UserStatus.Active)), ErrorCodes.UserNotFound);
        Tenant.Refused(await grain.Delete(tenant.Admin), ErrorCodes.UserNotFound);
        Tenant.Refused(await grain.Create(tenant.Admin, new CreateUser("Ana", UserProfile.Admin, null)), ErrorCodes.UserExists);
        Assert.Null(await TokenOf(ana.Token!).Authenticate());
    }

    [Fact]
    public async Task Another_accounts_admin_gets_not_found_for_a_user_and_changes_nothing()
    {
        var tenant = await Tenant.Create(Grains);
        var stranger = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var grain = tenant.UserGrain(ana.Id);

        Tenant.Refused(await grain.Get(stranger.Admin), ErrorCodes.UserNotFound);
        Tenant.Refused(await grain.Update(stranger.Admin, new UpdateUser(Name: "Hacked", Status: UserStatus.Blocked)), ErrorCodes.UserNotFound);
        var error = Tenant.Refused(await grain.Delete(stranger.Admin), ErrorCodes.UserNotFound);

        Assert.Equal(ErrorKind.NotFound, error.Kind);
        var now = Tenant.Value(await grain.Get(tenant.Admin));
        Assert.Equal(("Ana", UserStatus.Active), (now.Name, now.Status));
        Assert.Equal(new Principal(tenant.Account.Id, ana.Id, UserProfile.Agent, UserStatus.Active), await TokenOf(ana.Token!).Authenticate());
    }

    [Theory]
    [InlineData(UserProfile.Agent)]
    [InlineData(UserProfile.RestrictedAgent)]
    public async Task An_agent_can_change_its_own_availability(UserProfile profile)
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana", profile);
        var grain = tenant.UserGrain(ana.Id);

        var updated = Tenant.Value(await grain.Update(tenant.CallerOf(ana), new UpdateUser(Availability: Availability.Unavailable)));

        Assert.Equal(Availability.Unavailable, updated.Availability);
        Assert.Equal(Availability.Unavailable, Tenant.Value(await grain.Get(tenant.Admin)).Availability);
        Assert.Equal(Availability.Available, Tenant.Value(await grain.Update(tenant.CallerOf(ana), new UpdateUser(Availability: Availability.Available))).Availability);
    }

    [Fact]
    public async Task An_agent_cannot_change_another_users_availability()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");

        Tenant.Refused(
            await tenant.UserGrain(bia.Id).Update(tenant.CallerOf(ana), new UpdateUser(Availability: Availability.Unavailable)), ErrorCodes.Forbidden);

        Assert.Equal(Availability.Available, Tenant.Value(await tenant.UserGrain(bia.Id).Get(tenant.Admin)).Availability);
    }

    [Fact]
    public async Task An_agent_cannot_change_its_own_name_profile_or_status()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var grain = tenant.UserGrain(ana.Id);
        var self = tenant.CallerOf(ana);

        Tenant.Refused(await grain.Update(self, new UpdateUser(Name: "Ana Admin")), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Update(self, new UpdateUser(Profile: UserProfile.Admin)), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Update(self, new UpdateUser(Status: UserStatus.Active)), ErrorCodes.Forbidden);
        Tenant.Refused(await grain.Update(self, new UpdateUser(Profile: UserProfile.Admin, Availability: Availability.Unavailable)), ErrorCodes.Forbidden);

        var now = Tenant.Value(await grain.Get(tenant.Admin));
        Assert.Equal(("Ana", UserProfile.Agent, Availability.Available), (now.Name, now.Profile, now.Availability));
        Assert.Equal(UserProfile.Agent, (await TokenOf(ana.Token!).Authenticate())?.Profile);
    }

    [Fact]
    public async Task Only_admins_delete_users()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");

        Tenant.Refused(await tenant.UserGrain(bia.Id).Delete(tenant.CallerOf(ana)), ErrorCodes.Forbidden);
        Tenant.Refused(await tenant.UserGrain(ana.Id).Delete(tenant.CallerOf(ana)), ErrorCodes.Forbidden);

        Assert.NotNull(await TokenOf(bia.Token!).Authenticate());
        Assert.NotNull(await TokenOf(ana.Token!).Authenticate());
    }

    [Fact]
    public async Task Any_user_of_the_account_can_read_a_user()
    {
        var tenant = await Tenant.Create(Grains);
        var ana = await tenant.User("Ana");
        var bia = await tenant.User("Bia");

        Assert.Equal("Bia", Tenant.Value(await tenant.UserGrain(bia.Id).Get(tenant.CallerOf(ana))).Name);
    }
}
