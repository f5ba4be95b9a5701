import Keyv from 'keyv';
import { describe, expect, it, vi } from 'vitest';
import type { DailySchedule } from '../../src/schedule/daily.ts';
import { DailyStore } from '../../src/storage/daily.ts';
import { dailyDropKey, dailyLastDropKey, dailyScheduleKey, legacyDailyOffKey } from '../../src/storage/keys.ts';
import { ServerOwnership } from '../../src/storage/shards.ts';
import { Store } from '../../src/storage/store.ts';

// Discord's rule (guild_id >> 22) % 2: these two servers are on shards 0 and 1 of 2.
const ON_SHARD_0 = '8388608';
const ON_SHARD_1 = '4194304';

const schedule = (over: Partial<DailySchedule> = {}): DailySchedule => ({
  enabled: true,
  channelId: 'c1',
  time: { hour: 9, minute: 0 },
  timeZone: 'Europe/Paris',
  deck: null,
  setAt: 0,
  lastScheduledDay: null,
  ...over,
});

describe("a server's time zone for its awards", () => {
  it('is read from the store once, then known until this process changes the schedule', async () => {
    const keyv = new Keyv();
    const daily = new DailyStore(new Store(keyv));
    await new DailyStore(new Store(keyv)).saveSchedule(ON_SHARD_1, schedule());
    const get = vi.spyOn(keyv, 'get');
    const getMany = vi.spyOn(keyv, 'getMany');
    const asks = (keys: unknown) => (Array.isArray(keys) ? keys : [keys]).some((key) => String(key) === dailyScheduleKey(ON_SHARD_1));
    const scheduleReads = () => [...get.mock.calls, ...getMany.mock.calls].filter(([keys]) => asks(keys)).length;
    expect(await daily.dropsTimeZone(ON_SHARD_1)).toBe('Europe/Paris');
    const reads = scheduleReads();
    expect(reads).toBeGreaterThan(0);
    expect(await daily.dropsTimeZone(ON_SHARD_1)).toBe('Europe/Paris');
    expect(scheduleReads()).toBe(reads);

    await daily.saveSchedule(ON_SHARD_1, schedule({ timeZone: 'Asia/Tokyo' }));
    expect(await daily.dropsTimeZone(ON_SHARD_1)).toBe('Asia/Tokyo');
    await daily.saveSchedule(ON_SHARD_1, schedule({ timeZone: 'Asia/Tokyo', enabled: false }));
    expect(await daily.dropsTimeZone(ON_SHARD_1)).toBeUndefined();
    expect(scheduleReads()).toBe(reads);
  });

  it('is one store request for a server without a schedule, its legacy record asked for alongside', async () => {
    const keyv = new Keyv();
    await keyv.set(legacyDailyOffKey(ON_SHARD_0), { channelId: 'c1', time: { hour: 9, minute: 0 }, timeZone: 'Asia/Tokyo', deck: null, setAt: 0 });
    const get = vi.spyOn(keyv, 'get');
    const getMany = vi.spyOn(keyv, 'getMany');
    const daily = new DailyStore(new Store(keyv));
    expect(await daily.schedule(ON_SHARD_1)).toBeUndefined();
    expect(await daily.schedule(ON_SHARD_0)).toMatchObject({ enabled: false, timeZone: 'Asia/Tokyo' });
    expect(get).not.toHaveBeenCalled();
    expect(getMany).toHaveBeenCalledTimes(2);
  });

  it("is read afresh every time for a server another process holds (its schedule may change there)", async () => {
    const keyv = new Keyv();
    await new DailyStore(new Store(keyv)).saveSchedule(ON_SHARD_0, schedule());
    const onShard1 = new DailyStore(new Store(keyv, { owner: new ServerOwnership({ shardIds: [1], shardCount: 2 }) }));
    expect(await onShard1.dropsTimeZone(ON_SHARD_0)).toBe('Europe/Paris');
    await new DailyStore(new Store(keyv)).saveSchedule(ON_SHARD_0, schedule({ timeZone: 'Asia/Tokyo' }));
    expect(await onShard1.dropsTimeZone(ON_SHARD_0)).toBe('Asia/Tokyo');
  });

  it('a read overtaken by a change of the schedule is not kept', async () => {
    const keyv = new Keyv();
    const daily = new DailyStore(new Store(keyv));
    await daily.saveSchedule(ON_SHARD_1, schedule());
    const fresh = new DailyStore(new Store(keyv));
    const reading = fresh.dropsTimeZone(ON_SHARD_1);
    await fresh.saveSchedule(ON_SHARD_1, schedule({ timeZone: 'Asia/Tokyo' }));
    await reading;
    expect(await fresh.dropsTimeZone(ON_SHARD_1)).toBe('Asia/Tokyo');
  });
});

describe('the servers with daily data, as the first tick after a start looks for them', () => {
  it('finds a schedule on or off, one of an earlier version, an open drop and a last drop, in order, and nothing else', async () => {
    const keyv = new Keyv();
    const store = new Store(keyv);
    // 450 servers: three multi-key reads; the ones with data spread over them.
    const servers = Array.from({ length: 450 }, (_, i) => String(1_000 + i));
    await store.set(dailyScheduleKey(servers[3]!), schedule());
    await store.set(dailyScheduleKey(servers[199]!), schedule({ enabled: false }));
    await store.set(legacyDailyOffKey(servers[200]!), { channelId: 'c1', time: { hour: 9, minute: 0 }, timeZone: 'UTC', deck: null, setAt: 0 });
    await store.set(dailyDropKey(servers[320]!), { id: 'drop' });
    await store.set(dailyLastDropKey(servers[449]!), { id: 'last' });
    await store.set(`seasons:${servers[10]!}`, { current: null });
    const getMany = vi.spyOn(keyv, 'getMany');
    expect(await new DailyStore(store).withDailyData(servers)).toEqual([servers[3], servers[199], servers[200], servers[320], servers[449]]);
    expect(getMany).toHaveBeenCalledTimes(3);
    expect(await new DailyStore(store).withDailyData([])).toEqual([]);
  });
});
