using StackExchange.Redis;

namespace PeerGateway;

/// <summary>
/// The whole routing decision as one Lua script run by EVALSHA: the contact's owner key is read, and when it is
/// missing the candidate is bound with SET NX and an expiry: one round trip to the store for a sticky route, and a second
/// one for a bind to wait for its commit (see <see cref="Route"/>).
/// </summary>
public sealed class OwnerScript(IDatabase database, byte[] sha1, int ownerSeconds)
{
    private const string Source = """
        local owner = redis.call('GET', KEYS[1])
        if owner then
          return {owner, 'sticky-owner'}
        end
        redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
        return {ARGV[1], 'auto-assigned'}
        """;

    /// <summary>Loads the script into the store (SCRIPT LOAD) and keeps its SHA1 for EVALSHA.</summary>
    public static async Task<OwnerScript> Load(IConnectionMultiplexer redis, int ownerSeconds)
    {
        var server = redis.GetServers()[0];
        var sha1 = await server.ScriptLoadAsync(Source);
        return new OwnerScript(redis.GetDatabase(), sha1, ownerSeconds);
    }

    /// <summary>The contact's owner and whether this call bound it.</summary>
    /// <remarks>
    /// A bind is answered once it is durable: the store (the server's embedded Garnet) commits its append-only file in the
    /// background, and an outside client waits for that commit with Garnet's <c>COMMITAOF</c>, the counterpart of Redis'
    /// <c>WAITAOF</c>. A sticky route writes nothing and waits for nothing.
    /// </remarks>
    public async Task<(string Owner, string Reason)> Route(Guid contactId, Guid candidate)
    {
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            sha1, [(RedisKey)$"peer:owner:{contactId:N}"], [candidate.ToString(), ownerSeconds]))!;
        var reason = result[1].ToString();
        if (reason == "auto-assigned")
        {
            await database.ExecuteAsync("COMMITAOF");
        }

        return (result[0].ToString(), reason);
    }
}
