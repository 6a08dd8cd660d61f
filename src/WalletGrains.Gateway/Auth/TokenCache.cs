using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using WalletGrains.Gateway.Hosting;

namespace WalletGrains.Gateway.Auth;

/// <summary>
/// Who recently seen tokens speak for, kept in this process's memory by the token itself (never logged, never stored)
/// for <see cref="AuthOptions.TokenCacheSeconds"/>, so that a request neither hashes its token nor calls the token's
/// grain each time. This gateway forgets a user's tokens as soon as it changes or
/// deletes that user; another gateway of the cluster sees such a change within the cache time. Unknown tokens are
/// never cached, so a new token works at once.
/// </summary>
internal sealed class TokenCache(TimeProvider clock, IOptions<AuthOptions> options)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly TimeSpan _lifetime = TimeSpan.FromSeconds(options.Value.TokenCacheSeconds);
    private int _puts;

    public bool TryGet(ReadOnlySpan<char> token, out ClaimsPrincipal principal)
    {
        if (_entries.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(token, out var entry) && clock.GetUtcNow() < entry.Until)
        {
            principal = entry.Principal;
            return true;
        }

        principal = null!;
        return false;
    }

    public void Put(string token, Guid userId, ClaimsPrincipal principal)
    {
        if (_lifetime > TimeSpan.Zero)
        {
            _entries[token] = new Entry(userId, principal, clock.GetUtcNow() + _lifetime);
            if (Interlocked.Increment(ref _puts) % 4096 == 0)
            {
                Prune();
            }
        }
    }

    /// <summary>Forgets every token of the user (its profile, status or existence just changed here).</summary>
    public void Forget(Guid userId)
    {
        foreach (var (token, entry) in _entries)
        {
            if (entry.UserId == userId)
            {
                _entries.TryRemove(token, out _);
            }
        }
    }

    /// <summary>Drops expired entries; called now and then so tokens seen once do not stay in memory.</summary>
    private void Prune()
    {
        var now = clock.GetUtcNow();
        foreach (var (token, entry) in _entries)
        {
            if (entry.Until <= now)
            {
                _entries.TryRemove(token, out _);
            }
        }
    }

    private sealed record Entry(Guid UserId, ClaimsPrincipal Principal, DateTimeOffset Until);
}
