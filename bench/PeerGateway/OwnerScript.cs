using StackExchange.Redis;

namespace PeerGateway;

/// <summary>
/// The whole routing decision as one Lua script run by EVALSHA: the contact's owner key is read, and when it is
/// missing the candidate is bound with SET NX and an expiry. Sticky or assigned, one round trip to the store.
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
    public async Task<(string Owner, string Reason)> Route(Guid contactId, Guid candidate)
    {
        var result = (RedisResult[])(await database.ScriptEvaluateAsync(
            sha1, [(RedisKey)$"peer:owner:{contactId:N}"], [candidate.ToString(), ownerSeconds]))!;
        return (result[0].ToString(), result[1].ToString());
    }
}
