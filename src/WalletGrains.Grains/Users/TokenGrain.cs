using WalletGrains.Grains.Common;

namespace WalletGrains.Grains.Users;

/// <summary>Persisted state of one token: who it speaks for, or nothing once revoked.</summary>
[GenerateSerializer]
public sealed record TokenState
{
    [Id(0)] public Principal? Principal { get; init; }
}

/// <summary>One bearer token, keyed by its hash; answers every authentication of that token from memory.</summary>
internal sealed class TokenGrain(
    [PersistentState("token", Stores.Default)] IPersistentState<TokenState> token) : Grain, ITokenGrain
{
    public ValueTask<Principal?> Authenticate() => ValueTask.FromResult(token.State.Principal);

    public async Task Bind(Principal principal)
    {
        if (token.State.Principal != principal)
        {
            token.State = new TokenState { Principal = principal };
            await token.WriteStateAsync();
        }
    }

    public async Task Revoke()
    {
        if (token.RecordExists)
        {
            await token.ClearStateAsync();
        }

        token.State = new TokenState();
    }
}
