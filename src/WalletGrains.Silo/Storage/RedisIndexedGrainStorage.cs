using System.Globalization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Storage;
using StackExchange.Redis;
using WalletGrains.Grains.Indexes;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// Grain storage on the Redis-protocol store for states that name index entries (<see cref="IIndexedState"/>): one
/// script checks the ETag, adds the entries the new state names (as <see cref="RedisIndexStore"/> keeps them), stores
/// the state with the list of its entries, and removes the entries the stored state named and the new one does not. A
/// contact's change is then one round trip to the store, and its indexes cannot fall behind its state.
/// </summary>
/// <remarks>
/// Each state is a hash under <c>{serviceId}/state/{stateName}/{grainId}</c> with the fields <c>etag</c> (a version
/// number), <c>state</c> (Orleans' binary format, as the other grains' storage writes it) and <c>entries</c> (one line per
/// entry: index key, id and value in hex). Entries already stored with the same value are not written again. The
/// entries a write removes are read from that list, so they are not among the script's declared keys (on Garnet they
/// are changed without the script's key lock; only the grain whose state names an entry sets or removes it). Failures
/// surface as an <see cref="OrleansException"/> (a stale ETag as <see cref="InconsistentStateException"/>), as the
/// other grains' storage failures do.
/// </remarks>
public sealed class RedisIndexedGrainStorage(StoreConnection connection, IGrainStorageSerializer serializer, IOptions<ClusterOptions> cluster) : IGrainStorage
{
    // KEYS[1] the state's hash, KEYS[2..] the index of each entry of the new state. ARGV[1] the ETag the state was read
    // with ('' when none was stored), ARGV[2] the new ETag, ARGV[3] the state, then for each entry its line, id and value.
    // A line is "key<TAB>id-hex<TAB>value-hex"; everything before its last tab names the entry.
    private const string WriteScript = """
        local stored = redis.call('HMGET', KEYS[1], 'etag', 'entries')
        if (stored[1] or '') ~= ARGV[1] then return {0, stored[1] or ''} end
        local old = {}
        for line in string.gmatch(stored[2] or '', '[^\n]+') do old[string.match(line, '^(.*)\t%x*$')] = line end
        local lines = {}
        for i = 2, #KEYS do
          local a = 1 + 3 * (i - 1)
          local line = ARGV[a]
          local entry = string.match(line, '^(.*)\t%x*$')
          lines[#lines + 1] = line
          if old[entry] ~= line then redis.call('HSET', KEYS[i], ARGV[a + 1], ARGV[a + 2]) end
          old[entry] = nil
        end
        redis.call('HSET', KEYS[1], 'etag', ARGV[2], 'state', ARGV[3], 'entries', table.concat(lines, '\n'))
        for entry in pairs(old) do
          local key, id = string.match(entry, '^(.*)\t(%x+)$')
          redis.call('HDEL', key, (string.gsub(id, '..', function(h) return string.char(tonumber(h, 16)) end)))
        end
        return {1}
        """;

    // KEYS[1] the state's hash, ARGV[1] the ETag the state was read with: removes the state and every entry it named.
    private const string ClearScript = """
        local stored = redis.call('HMGET', KEYS[1], 'etag', 'entries')
        if (stored[1] or '') ~= ARGV[1] then return {0, stored[1] or ''} end
        for line in string.gmatch(stored[2] or '', '[^\n]+') do
          local key, id = string.match(line, '^(.*)\t(%x+)\t%x*$')
          redis.call('HDEL', key, (string.gsub(id, '..', function(h) return string.char(tonumber(h, 16)) end)))
        end
        redis.call('DEL', KEYS[1])
        return {1}
        """;

    private static readonly RedisValue[] ReadFields = ["etag", "state"];

    private readonly string _statePrefix = cluster.Value.ServiceId + "/state/";
    private readonly string _indexPrefix = RedisIndexStore.Prefix(cluster.Value);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var fields = await connection.Run($"read the state {key}", database => database.HashGetAsync(key, ReadFields));
        if (fields[0].IsNull)
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])fields[1]!));
        grainState.ETag = fields[0];
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var entries = new List<IndexEntry>();
        (grainState.State as IIndexedState)?.AddIndexEntries(grainId, entries);

        var key = Key(stateName, grainId);
        var etag = NextETag(grainState.ETag);
        var keys = new RedisKey[1 + entries.Count];
        var values = new RedisValue[3 + 3 * entries.Count];
        keys[0] = key;
        values[0] = grainState.ETag ?? "";
        values[1] = etag;
        values[2] = serializer.Serialize(grainState.State).ToMemory();
        for (var i = 0; i < entries.Count; i++)
        {
            var (index, id, value) = entries[i];
            var field = id.ToByteArray();
            var stored = value is { } v ? v.ToByteArray() : [];
            var indexKey = _indexPrefix + index;
            keys[1 + i] = indexKey;
            values[3 + 3 * i] = $"{indexKey}\t{Convert.ToHexString(field)}\t{Convert.ToHexString(stored)}";
            values[4 + 3 * i] = field;
            values[5 + 3 * i] = stored;
        }

        await Apply("write", key, WriteScript, keys, values, grainState.ETag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        await Apply("clear", key, ClearScript, [key], [grainState.ETag ?? ""], grainState.ETag);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private static string NextETag(string? current) =>
        (current is null ? 1 : long.Parse(current, CultureInfo.InvariantCulture) + 1).ToString(CultureInfo.InvariantCulture);

    private string Key(string stateName, GrainId grainId) => $"{_statePrefix}{stateName}/{grainId}";

    private async Task Apply(string operation, string key, string script, RedisKey[] keys, RedisValue[] values, string? expected)
    {
        var result = (RedisResult[])(await connection.Run(
            $"{operation} the state {key}", database => database.ScriptEvaluateAsync(script, keys, values)))!;
        if ((int)result[0] != 1)
        {
            var stored = (string?)result[1];
            throw new InconsistentStateException(
                $"The state {key} was not stored: it changed since it was read (ETag {expected ?? "none"}, stored {(stored is "" ? "none" : stored)}).",
                stored, expected);
        }
    }
}
