import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import * as keys from '../../src/storage/keys.ts';
import { guildOf, keyOwner } from '../../src/storage/keys.ts';
import { NotHeldError, ServerOwnership, shardOf } from '../../src/storage/shards.ts';
import { Store } from '../../src/storage/store.ts';


// (id >> 22) % 2: 4194304 → 1, 8388608 → 0; % 4: 12582912 → 3, 81384788765712384 → 2.
const ON_SHARD_0 = '8388608';
const ON_SHARD_1 = '4194304';

describe("Discord's shard rule (guild_id >> 22) % shard_count", () => {
  it.each([
    ['175928847299117063', 2, 0],
    ['175928847299117063', 4, 0],
    ['81384788765712384', 4, 2],
    ['4194304', 2, 1],
    ['12582912', 4, 3],
    ['12582912', 1, 0],
  ])('server %s with %i shards is on shard %i', (guildId, count, shard) => {
    expect(shardOf(guildId, count)).toBe(shard);
  });
});

describe('guildOf: which server a stored key is about', () => {
  const g = '81384788765712384';
  it.each([
    [keys.liveRoundKey(g, '1'), g],
    [keys.liveChannelsKey(g), g],
    [keys.memberTotalsKey(g, 'all', '9'), g],
    [keys.memberTotalsKey(g, 's3', '9'), g],
    [keys.memberIndexKey(g, 'all', 3), g],
    [keys.scopeIndexKey(g, 's2', 3), g],
    [keys.legacyMemberIndexKey(g, 'all'), g],
    [keys.legacyDayTotalsKey(g, '2026-01-01', '9'), g],
    [keys.legacyDayIndexKey(g, '2026-01-01'), g],
    [keys.dayRecordKey(g, '2026-01-01'), g],
    [keys.awardJournalKey(g, 17), g],
    [keys.awardsHeadKey(g), g],
    [keys.scoreLayoutKey(g), g],
    [keys.legacyEventsKey(g, '2026-01-01T10'), g],
    [keys.serverSettingsKey(g), g],
    [keys.seasonsKey(g), g],
    [keys.roundWinsKey(g), g],
    [keys.dailyScheduleKey(g), g],
    [keys.legacyDailyOffKey(g), g],
    [keys.dailyCountKey(g), g],
    [keys.dailyDropKey(g), g],
    [keys.dailyShuffleKey(g, null), g],
    [keys.dailyShuffleKey(g, 'a deck: with colons'), g],
    [keys.memoryKey(g, '9', 'deck:x'), g],
    [keys.memoryMembersKey(g, 'deck'), g],
    [keys.reviewLogKey(g, '2026-01-01T10'), g],
    [keys.reviewLogPartKey(g, '2026-01-01T10', 3), g],
    [keys.legacyLiveRoundIndexKey(), null],
    [keys.dailyIndexKey(), null],
    [keys.registeredCommandsKey('123', 'global'), null],
    [keys.registeredCommandsKey('123', `guild:${g}`), null],
    ['something:unknown', null],
  ])('%s is about %s', (key, guild) => {
    expect(guildOf(key)).toBe(guild);
  });

  it('keys named by an interaction id belong to the process that received it', () => {
    expect(keyOwner(keys.leaderboardPagesKey('555'))).toEqual({ kind: 'interaction' });
    expect(keyOwner(keys.seasonConfirmationKey('555'))).toEqual({ kind: 'interaction' });
    expect(keyOwner(keys.deckRemovalKey('555'))).toEqual({ kind: 'interaction' });
  });

  it('every key builder that takes a server id gives keys guildOf reads that server from', () => {
    const builders = Object.entries(keys).filter(
      ([name, value]) => typeof value === 'function' && /^\s*(function\s*\w*\s*)?\(\s*guildId\b/.test(value.toString()) && !name.endsWith('Lock') && name !== 'dailyLockKey',
    ) as [string, (...args: string[]) => string][];
    expect(builders.length).toBeGreaterThanOrEqual(15);
    for (const [name, build] of builders) {
      const key = build(g, 'all', '9', 'deck');
      expect({ name, guild: guildOf(key) }).toEqual({ name, guild: g });
    }
  });
});

describe('one writer per server: a Store refuses writes about servers its process does not hold', () => {
  const storeOf = (shardIds: number[], shardCount: number) => {
    const keyv = new Keyv();
    return { keyv, store: new Store(keyv, { owner: new ServerOwnership({ shardIds, shardCount }) }) };
  };

  it('writes about a server of its own shard go through', async () => {
    const { keyv, store } = storeOf([1], 2);
    await store.set(keys.seasonsKey(ON_SHARD_1), [1]);
    await store.update(keys.roundWinsKey(ON_SHARD_1), () => ({ value: { u: 1 }, result: undefined }));
    await store.delete(keys.seasonsKey(ON_SHARD_1));
    expect(await keyv.get(keys.roundWinsKey(ON_SHARD_1))).toEqual({ u: 1 });
  });

  it('set, update and delete about a server of another shard reject with NotHeldError and leave the store as it was', async () => {
    const { keyv, store } = storeOf([1], 2);
    await keyv.set(keys.seasonsKey(ON_SHARD_0), 'kept');
    let changed = false;
    await expect(store.set(keys.seasonsKey(ON_SHARD_0), 'x')).rejects.toThrow(NotHeldError);
    await expect(store.update(keys.seasonsKey(ON_SHARD_0), () => ((changed = true), { value: 'x', result: undefined }))).rejects.toThrow(/server 8388608 belongs to another process \(this process holds shard 1 of 2\)/);
    await expect(store.delete(keys.seasonsKey(ON_SHARD_0))).rejects.toThrow(NotHeldError);
    expect(changed).toBe(false);
    expect(await keyv.get(keys.seasonsKey(ON_SHARD_0))).toBe('kept');
  });

  it('data about no server is written by the process holding shard 0 only', async () => {
    const key = keys.registeredCommandsKey('123', 'global');
    await expect(storeOf([1], 2).store.set(key, 'h')).rejects.toThrow(/written by shard 0 only/);
    await storeOf([0], 2).store.set(key, 'h');
    await storeOf([0, 1], 2).store.set(key, 'h');
  });

  it('keys named by an interaction id are written by any process', async () => {
    await storeOf([1], 2).store.set(keys.leaderboardPagesKey('77'), { page: 1 });
  });

  it('one process holding every shard (the default) writes everything', async () => {
    const store = new Store(new Keyv());
    await store.set(keys.seasonsKey(ON_SHARD_0), 1);
    await store.set(keys.seasonsKey(ON_SHARD_1), 1);
    await store.set(keys.dailyIndexKey(), [ON_SHARD_0]);
    expect(store.owner.holds('12582912')).toBe(true);
  });

  it('several shards in one process: each held server is writable, the others are not', async () => {
    const { store } = storeOf([1, 3], 4);
    expect(['4194304', '8388608', '12582912', '81384788765712384'].map((g) => store.mayWrite(keys.seasonsKey(g)))).toEqual([true, false, true, false]);
  });
});
