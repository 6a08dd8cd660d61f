using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;
using WalletGrains.Grains.Indexes;

namespace WalletGrains.Silo.Storage;

/// <summary>
/// Grain storage on the Redis-protocol store, for every grain's state. For states that name index entries
/// (<see cref="IIndexedState"/>) the same script stores the state with the list of its entries, adds the entries the new
/// state names (as <see cref="RedisIndexStore"/> keeps them) and removes those the stored state named and the new one
/// does not: a contact's change is one round trip to the store, and its indexes cannot fall behind its state.
/// </summary>
/// <remarks>
/// Each state is a hash under <c>{serviceId}/state/{stateName}/{grainId}</c> whose field <c>v:N</c> holds version N
/// (the ETag): the list of index entries that version names (one line per entry: index key, id and value in hex; its
/// length in bytes, then a colon, first) followed by the state in Orleans' binary format. A write of version N + 1
/// creates its field with <c>HSETNX</c>, a single command, so of two writers that read the same version exactly one
/// succeeds, also on a store that interleaves the commands of concurrent scripts (the embedded Garnet does); it then
/// makes sure the version it read is still the newest, and otherwise takes its field back. Only after that are the index
/// entries changed and the older version removed, so a store that stops in the middle of a script (its AOF holds each
/// command) keeps the new version, and the next write finishes the work. Entries already stored with the same value are
/// not written again. The entries a write removes are read from the older version, so they are not among the script's
/// declared keys. Failures surface as an <see cref="OrleansException"/> (a stale ETag as
/// <see cref="InconsistentStateException"/>), as the other grains' storage failures do.
/// </remarks>
public sealed class RedisIndexedGrainStorage(StoreConnection connection, Serializer serializer, IOptions<ClusterOptions> cluster) : IGrainStorage
{
    // Shared start of both scripts. KEYS[1] the state's hash, ARGV[1] the version read ('' when none), ARGV[2] the
    // version written (the next one), ARGV[3] its field's value ('' for a clear). Answers {0, newest stored version} when
    // the version read is not the newest; otherwise `older` lists the other version fields and `olderEntries` their
    // entry lists (more than one only after a write the store stopped in the middle of).
    private const string ClaimVersion = """
        local unpack = table.unpack or unpack
        local function newest()
          local top = -1
          for _, f in ipairs(redis.call('HKEYS', KEYS[1])) do
            local v = tonumber(string.match(f, '^v:(%d+)$'))
            if v and v > top then top = v end
          end
          return top < 0 and '' or tostring(top)
        end
        local mine = 'v:' .. ARGV[2]
        if redis.call('HSETNX', KEYS[1], mine, ARGV[3]) == 0 then return {0, newest()} end
        local found = ARGV[1] == ''
        local older, olderEntries = {}, {}
        local all = redis.call('HGETALL', KEYS[1])
        for i = 1, #all, 2 do
          local f = all[i]
          local v = string.match(f, '^v:(%d+)$')
          if v and f ~= mine then
            if ARGV[1] == '' or tonumber(v) > tonumber(ARGV[2]) then found = false break end
            if v == ARGV[1] then found = true end
            older[#older + 1] = f
            local n, from = string.match(all[i + 1], '^(%d+):()')
            olderEntries[#olderEntries + 1] = n and string.sub(all[i + 1], from, from + tonumber(n) - 1) or ''
          end
        end
        if not found then
          redis.call('HDEL', KEYS[1], mine)
          return {0, newest()}
        end
        local function unhex(id) return (string.gsub(id, '..', function(h) return string.char(tonumber(h, 16)) end)) end

        """;

    // ARGV[4..] for each entry of the new state its line, id and value; KEYS[2..] the index of each. A line is
    // "key<TAB>id-hex<TAB>value-hex"; everything before its last tab names the entry. Unless exactly one older version
    // is there (its entries all written), every entry of the new state is written.
    private const string WriteScript = ClaimVersion + """
        local old = {}
        for _, entries in ipairs(olderEntries) do
          for line in string.gmatch(entries, '[^\n]+') do old[string.match(line, '^(.*)\t%x*$')] = line end
        end
        local exact = #olderEntries == 1
        for i = 2, #KEYS do
          local a = 3 * (i - 1) + 1
          local line = ARGV[a]
          local entry = string.match(line, '^(.*)\t%x*$')
          if not exact or old[entry] ~= line then redis.call('HSET', KEYS[i], ARGV[a + 1], ARGV[a + 2]) end
          old[entry] = nil
        end
        for entry in pairs(old) do
          local key, id = string.match(entry, '^(.*)\t(%x+)$')
          redis.call('HDEL', key, unhex(id))
        end
        if #older > 0 then redis.call('HDEL', KEYS[1], unpack(older)) end
        return {1}
        """;

    // Removes the state and every entry it named.
    private const string ClearScript = ClaimVersion + """
        for _, entries in ipairs(olderEntries) do
          for line in string.gmatch(entries, '[^\n]+') do
            local key, id = string.match(line, '^(.*)\t(%x+)\t%x*$')
            redis.call('HDEL', key, unhex(id))
          end
        end
        redis.call('DEL', KEYS[1])
        return {1}
        """;

    private readonly string _statePrefix = StatePrefix(cluster.Value.ServiceId);
    private readonly string _indexPrefix = RedisIndexStore.Prefix(cluster.Value);

    /// <summary>What the key of every grain state of the service starts with.</summary>
    public static string StatePrefix(string serviceId) => serviceId + "/state/";

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var fields = await connection.Run("read the state", key, database => database.HashGetAllAsync(key));

        // The newest version is the state; an older one is left by a write the store stopped in the middle of, and an
        // empty one by a clear (the record is gone, but the next write must follow that version).
        var (version, state) = (-1L, RedisValue.Null);
        foreach (var field in fields)
        {
            var name = (string)field.Name!;
            if (name.StartsWith("v:", StringComparison.Ordinal)
                && long.TryParse(name.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > version)
            {
                (version, state) = (v, field.Value);
            }
        }

        grainState.ETag = version < 0 ? null : version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = !state.IsNullOrEmpty;
        grainState.State = grainState.RecordExists
            ? serializer.Deserialize<T>(StateOf((byte[])state!))
            : Activator.CreateInstance<T>();
    }

    // A version's value: the length of its entry list, a colon, the list, then the state.
    private static ReadOnlyMemory<byte> StateOf(byte[] value)
    {
        var colon = Array.IndexOf(value, (byte)':');
        var length = int.Parse(value.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
        return value.AsMemory(colon + 1 + length);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // A contact names an entry in its account's directory, one per wallet and one for its owner's deadline.
        var entries = new List<IndexEntry>(grainState.State is IIndexedState ? 4 : 0);
        (grainState.State as IIndexedState)?.AddIndexEntries(grainId, entries);

        var key = Key(stateName, grainId);
        var etag = NextETag(grainState.ETag);
        var keys = new RedisKey[1 + entries.Count];
        var values = new RedisValue[3 + 3 * entries.Count];
        keys[0] = key;
        values[0] = grainState.ETag ?? "";
        values[1] = etag;

        // The version's value is put together in one array, and each entry's line goes to the script as a slice of it;
        // the ids and values of the entries share one more array.
        var indexKeys = new string[entries.Count];
        var listLength = Math.Max(0, entries.Count - 1);
        for (var i = 0; i < entries.Count; i++)
        {
            indexKeys[i] = _indexPrefix + entries[i].Index;
            listLength += LineLength(indexKeys[i], entries[i].Value is not null);
        }

        var buffer = t_serializationBuffer ??= new ArrayBufferWriter<byte>(4096);
        buffer.ResetWrittenCount();
        serializer.Serialize(grainState.State, buffer);
        var state = buffer.WrittenSpan;

        Span<byte> header = stackalloc byte[12];
        listLength.TryFormat(header, out var digits, provider: CultureInfo.InvariantCulture);
        header[digits++] = (byte)':';
        var value = new byte[digits + listLength + state.Length];
        header[..digits].CopyTo(value);
        state.CopyTo(value.AsSpan(digits + listLength));
        if (buffer.Capacity > MaxKeptBuffer)
        {
            // A large state (an import's rows) does not leave its buffer behind on this thread.
            t_serializationBuffer = null;
        }

        var ids = new byte[32 * entries.Count];
        var at = digits;
        for (var i = 0; i < entries.Count; i++)
        {
            var (_, id, entryValue) = entries[i];
            var field = ids.AsMemory(32 * i, 16);
            id.TryWriteBytes(field.Span);
            var stored = ReadOnlyMemory<byte>.Empty;
            if (entryValue is { } v)
            {
                stored = ids.AsMemory((32 * i) + 16, 16);
                v.TryWriteBytes(ids.AsSpan((32 * i) + 16, 16));
            }

            var length = WriteLine(value.AsSpan(at), indexKeys[i], field.Span, stored.Span);
            keys[1 + i] = indexKeys[i];
            values[3 + (3 * i)] = value.AsMemory(at, length);
            values[4 + (3 * i)] = field;
            values[5 + (3 * i)] = stored;
            at += length;
            if (i < entries.Count - 1)
            {
                value[at++] = (byte)'\n';
            }
        }

        values[2] = value;

        await Apply("write the state", key, WriteScript, keys, values, grainState.ETag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    // Each thread's buffer for a state being serialized, copied out before the write goes to the store; kept for the
    // thread's next write unless it grew beyond MaxKeptBuffer.
    private const int MaxKeptBuffer = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_serializationBuffer;

    // An entry's line: the index key (in UTF-8, as the client sends keys), a tab, the id in hex, a tab, the value in hex
    // (nothing without a value).
    private static int LineLength(string indexKey, bool hasValue) => Encoding.UTF8.GetByteCount(indexKey) + 1 + 32 + 1 + (hasValue ? 32 : 0);

    private static int WriteLine(Span<byte> destination, string indexKey, ReadOnlySpan<byte> id, ReadOnlySpan<byte> value)
    {
        var at = Encoding.UTF8.GetBytes(indexKey, destination);
        destination[at++] = (byte)'\t';
        Convert.TryToHexString(id, destination[at..], out var written);
        at += written;
        destination[at++] = (byte)'\t';
        Convert.TryToHexString(value, destination[at..], out written);
        return at + written;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        await Apply("clear the state", key, ClearScript, [key], [grainState.ETag ?? "", NextETag(grainState.ETag), ""], grainState.ETag);
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
            operation, key, database => database.ScriptEvaluateAsync(script, keys, values)))!;
        if ((int)result[0] != 1)
        {
            var stored = (string?)result[1];
            throw new InconsistentStateException(
                $"The state {key} was not stored: it changed since it was read (ETag {expected ?? "none"}, stored {(stored is "" ? "none" : stored)}).",
                stored, expected);
        }
    }
}
