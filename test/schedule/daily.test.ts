import { describe, expect, it } from 'vitest';
import {
  claimDay,
  dueScheduledDrop,
  nextScheduledDrop,
  scheduledDropAt,
  setSchedule,
  storedSchedule,
  turnOff,
  type DailySchedule,
  type ScheduleInput,
} from '../../src/schedule/daily.ts';
import { addDays, localDay, parseTimeOfDay, startOfLocalDay, type TimeOfDay } from '../../src/schedule/time.ts';
import Keyv from 'keyv';
import { DailyDrops, type DropMessages } from '../../src/daily/drops.ts';
import { DeckLibrary } from '../../src/deck/library.ts';
import { parseDeck } from '../../src/deck/parse.ts';
import { seededRandom } from '../../src/engine/random.ts';
import { DailyStore } from '../../src/storage/daily.ts';
import { MemoryBook } from '../../src/storage/memory-book.ts';
import { ScoreBook } from '../../src/storage/scores.ts';
import { Store } from '../../src/storage/store.ts';

const MINUTE = 60_000;
const LONG_AGO = Date.parse('2026-01-01T00:00:00Z');

function t(text: string): TimeOfDay {
  const parsed = parseTimeOfDay(text);
  if (!parsed.ok) throw new Error(`bad time in test: ${text}`);
  return parsed.value;
}

function at(iso: string): Date {
  return new Date(iso);
}

function schedule(over: Partial<DailySchedule> & { at?: string } = {}): DailySchedule {
  const { at: time, ...rest } = over;
  return {
    enabled: true,
    channelId: 'c1',
    time: t(time ?? '09:00'),
    timeZone: 'UTC',
    deck: null,
    setAt: LONG_AGO,
    lastScheduledDay: null,
    ...rest,
  };
}

function input(time: string, timeZone = 'UTC', over: Partial<ScheduleInput> = {}): ScheduleInput {
  return { channelId: 'c1', time: t(time), timeZone, deck: null, ...over };
}

/**
 * The bot's real daily drops (`DailyDrops`: its start-up tick, minute tick,
 * lock and claim) over an in-memory store, with a clock and minute beat
 * given by hand and a Discord that records the posts. Each server posts in
 * the channel named after it. `start` is a process (re)starting on the same
 * store: the previous one stops first.
 */
class Drops {
  now = LONG_AGO;
  /** Values kept as they are, not serialised: month-long runs read the store 200,000 times. */
  readonly store = new Store(new Keyv({ store: new Map(), serialize: undefined, deserialize: undefined }));
  readonly posts: { server: string; day: string; postedAt: string }[] = [];
  private readonly zones = new Map<string, string>();
  private readonly beats = new Set<() => Promise<void>>();
  private running: DailyDrops[] = [];

  private readonly messages: DropMessages = {
    post: async (channelId, drop) => {
      this.posts.push({ server: channelId, day: localDay(new Date(drop.postedAt), this.zones.get(channelId) ?? 'UTC'), postedAt: new Date(drop.postedAt).toISOString() });
      return { ok: true, messageId: `m${this.posts.length}` };
    },
    reveal: async () => undefined,
  };

  async set(server: string, record: DailySchedule): Promise<void> {
    this.zones.set(server, record.timeZone);
    await new DailyStore(this.store).saveSchedule(server, { ...record, channelId: server });
  }

  async read(server: string): Promise<DailySchedule | undefined> {
    return new DailyStore(this.store).schedule(server);
  }

  /** A process that starts at `at` (its start-up tick), after the running ones stopped (unless `alongside`). */
  async start(at: number, alongside = false): Promise<void> {
    if (!alongside) await this.stop();
    this.now = at;
    const drops = new DailyDrops({
      store: this.store,
      scores: new ScoreBook(this.store),
      memory: new MemoryBook(this.store),
      library: LIBRARY,
      clock: { now: () => this.now, setTimeout: () => () => undefined },
      random: seededRandom('daily'),
      logger: { info: () => undefined, warn: () => undefined, error: (message, error) => { throw new Error(`${message}: ${String(error)}`); } },
      defaultTimeZone: 'UTC',
      messages: this.messages,
    });
    await drops.start((onMinute) => {
      this.beats.add(onMinute);
      return () => this.beats.delete(onMinute);
    });
    this.running.push(drops);
  }

  /** The minute beat at `at`: every running process ticks. */
  async beat(at: number): Promise<void> {
    this.now = at;
    await Promise.all([...this.beats].map((beat) => beat()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((drops) => drops.stop()));
    this.running = [];
  }
}

const LIBRARY = (() => {
  const { deck } = parseDeck('# deck: bio cells\n\nThe -mitochondria- is the powerhouse of the cell.\n\nDNA is kept in the -nucleus-.\n', 'bio.md');
  if (!deck) throw new Error('the test deck does not parse');
  return new DeckLibrary([deck]);
})();

/**
 * When a process ticks: every minute from `from` (inclusive) to `to`
 * (exclusive) except during the `down` windows, plus a start-up tick 17 s
 * into the last minute of each window (start-up, then the first cron tick).
 */
function tickTimes(from: string, to: string, down: [string, string][] = []): number[] {
  const windows = down.map(([a, b]) => [Date.parse(a), Date.parse(b)] as const);
  const times: number[] = [];
  for (let ms = Date.parse(from); ms < Date.parse(to); ms += MINUTE) {
    if (windows.some(([a, b]) => ms >= a && ms < b)) continue;
    if (windows.some(([, b]) => ms === b)) times.push(ms - 43_000);
    times.push(ms);
  }
  return times;
}

/** Runs the bot from `from` to `to`: it starts at `from`, is down during the `down` windows and starts again after each. */
async function runTicks(drops: Drops, from: string, to: string, down: [string, string][] = []): Promise<void> {
  const starts = new Set([Date.parse(from), ...down.map(([, b]) => Date.parse(b) - 43_000)]);
  for (const ms of tickTimes(from, to, down)) {
    if (starts.has(ms)) await drops.start(ms);
    else await drops.beat(ms);
  }
  await drops.stop();
}

describe('scheduledDropAt', () => {
  it('is the set time on that local day in the schedule zone', async () => {
    expect(scheduledDropAt(schedule({ at: '09:00', timeZone: 'Asia/Kolkata' }), '2026-06-15').toISOString()).toBe('2026-06-15T03:30:00.000Z');
    expect(scheduledDropAt(schedule({ at: '02:30', timeZone: 'America/New_York' }), '2026-03-08').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  });
});

describe('nextScheduledDrop right after /daily set (12:00Z on 2026-06-15)', () => {
  const now = at('2026-06-15T12:00:00Z');
  it.each([
    ['UTC', '09:00', '2026-06-16', '2026-06-16T09:00:00.000Z'],
    ['UTC', '12:00', '2026-06-15', '2026-06-15T12:00:00.000Z'],
    ['UTC', '12:01', '2026-06-15', '2026-06-15T12:01:00.000Z'],
    ['Europe/Paris', '09:00', '2026-06-16', '2026-06-16T07:00:00.000Z'],
    ['Europe/Paris', '18:00', '2026-06-15', '2026-06-15T16:00:00.000Z'],
    ['America/New_York', '09:00', '2026-06-15', '2026-06-15T13:00:00.000Z'],
    ['Asia/Kolkata', '18:00', '2026-06-15', '2026-06-15T12:30:00.000Z'],
    ['Asia/Kolkata', '09:00', '2026-06-16', '2026-06-16T03:30:00.000Z'],
    // Already 00:00 on the 16th in Auckland (NZST, +12).
    ['Pacific/Auckland', '09:00', '2026-06-16', '2026-06-15T21:00:00.000Z'],
    ['Pacific/Auckland', '00:00', '2026-06-16', '2026-06-15T12:00:00.000Z'],
    // 22:30 on the 15th in Lord Howe (+10:30).
    ['Australia/Lord_Howe', '09:00', '2026-06-16', '2026-06-15T22:30:00.000Z'],
  ])('%s at %s: next drop is for %s at %s', async (tz, time, day, iso) => {
    const s = setSchedule(null, input(time, tz), now);
    const next = nextScheduledDrop(s, now);
    expect(next.day).toBe(day);
    expect(next.at.toISOString()).toBe(iso);
  });

  it('skips a day whose drop was already posted', async () => {
    const s = schedule({ at: '18:00', lastScheduledDay: '2026-06-15' });
    expect(nextScheduledDrop(s, now)).toEqual({ day: '2026-06-16', at: at('2026-06-16T18:00:00Z') });
  });

  it("returns today's drop when it is due but not yet posted", () => {
    const s = schedule({ at: '09:00', lastScheduledDay: '2026-06-14' });
    expect(nextScheduledDrop(s, now)).toEqual({ day: '2026-06-15', at: at('2026-06-15T09:00:00Z') });
  });

  it('gives the documented instants on DST days', async () => {
    const ny = schedule({ at: '02:30', timeZone: 'America/New_York' });
    expect(nextScheduledDrop(ny, at('2026-03-08T05:00:00Z')).at.toISOString()).toBe('2026-03-08T07:30:00.000Z');
    const nyFall = schedule({ at: '01:30', timeZone: 'America/New_York' });
    expect(nextScheduledDrop(nyFall, at('2026-11-01T04:00:00Z')).at.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    // After the first 01:30 was posted, the second 01:30 is not a drop: next is the 2nd.
    const posted = { ...nyFall, lastScheduledDay: '2026-11-01' };
    expect(nextScheduledDrop(posted, at('2026-11-01T06:00:00Z')).at.toISOString()).toBe('2026-11-02T06:30:00.000Z');
  });
});

describe('dueScheduledDrop', () => {
  const s = schedule({ at: '09:00', timeZone: 'Europe/Paris', lastScheduledDay: '2026-06-14' });

  it.each([
    ['one minute before the time', '2026-06-15T06:59:00Z', null],
    ['exactly at the time', '2026-06-15T07:00:00Z', '2026-06-15'],
    ['later the same local day (bot was down)', '2026-06-15T12:00:00Z', '2026-06-15'],
    ['the last minute of the local day', '2026-06-15T21:59:59Z', '2026-06-15'],
    ['just after local midnight: yesterday is not caught up', '2026-06-15T22:00:00Z', null],
    ['the next local day before its time', '2026-06-16T06:00:00Z', null],
    ['the next local day at its time', '2026-06-16T07:00:00Z', '2026-06-16'],
  ])('%s (%s) -> %s', async (_what, iso, day) => {
    const due = dueScheduledDrop(s, at(iso));
    expect(due?.day ?? null).toBe(day);
  });

  it('is null once the day was claimed', async () => {
    expect(dueScheduledDrop({ ...s, lastScheduledDay: '2026-06-15' }, at('2026-06-15T12:00:00Z'))).toBeNull();
  });

  it('is null for a day before a later claimed day', async () => {
    expect(dueScheduledDrop({ ...s, lastScheduledDay: '2026-06-16' }, at('2026-06-15T12:00:00Z'))).toBeNull();
  });

  it('uses the local day: a UTC instant already tomorrow in Auckland', async () => {
    const nz = schedule({ at: '00:30', timeZone: 'Pacific/Auckland', lastScheduledDay: '2026-03-10' });
    // 2026-03-10T11:45Z is 00:45 on the 11th in Auckland (NZDT, +13).
    expect(dueScheduledDrop(nz, at('2026-03-10T11:45:00Z'))).toEqual({ day: '2026-03-11', at: at('2026-03-10T11:30:00Z') });
    expect(dueScheduledDrop(nz, at('2026-03-10T11:29:00Z'))).toBeNull();
  });
});

describe('missed drops (bot down at the time)', () => {
  it('posts on start-up later the same local day, once', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00', timeZone: 'America/New_York', lastScheduledDay: '2026-06-14' }));
    // Down 08:00-15:00 EDT on the 15th, then running until the 16th's drop.
    await runTicks(drops, '2026-06-15T11:00:00Z', '2026-06-16T14:00:00Z', [['2026-06-15T12:00:00Z', '2026-06-15T19:00:00Z']]);
    expect(drops.posts).toEqual([
      { server: 'g', day: '2026-06-15', postedAt: '2026-06-15T18:59:17.000Z' },
      { server: 'g', day: '2026-06-16', postedAt: '2026-06-16T13:00:00.000Z' },
    ]);
  });

  it('does not post the missed day when starting the next local day; that day drops at its time', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00', timeZone: 'America/New_York', lastScheduledDay: '2026-06-14' }));
    // Down all of the 15th (local); back at 00:30 EDT on the 16th.
    await runTicks(drops, '2026-06-15T03:00:00Z', '2026-06-17T00:00:00Z', [['2026-06-15T03:30:00Z', '2026-06-16T04:30:00Z']]);
    expect(drops.posts).toEqual([{ server: 'g', day: '2026-06-16', postedAt: '2026-06-16T13:00:00.000Z' }]);
  });

  it.each([
    ['restart shortly before the time: posts at the time', ['2026-06-15T08:58:00Z', '2026-06-15T08:59:00Z'], '2026-06-15T09:00:00.000Z'],
    ['restart across the time: posts on start-up', ['2026-06-15T08:59:00Z', '2026-06-15T09:02:00Z'], '2026-06-15T09:01:17.000Z'],
    ['restart shortly after the drop was posted: no second drop', ['2026-06-15T09:01:00Z', '2026-06-15T09:03:00Z'], '2026-06-15T09:00:00.000Z'],
  ] as const)('%s', async (_what, [downFrom, downTo], postedAt) => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00', lastScheduledDay: '2026-06-14' }));
    await runTicks(drops, '2026-06-15T08:50:00Z', '2026-06-15T10:00:00Z', [[downFrom, downTo]]);
    expect(drops.posts).toEqual([{ server: 'g', day: '2026-06-15', postedAt }]);
  });
});

describe('idempotence with the claim', () => {
  it('two ticks in the same minute post once', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00' }));
    await drops.start(Date.parse('2026-06-15T08:59:00Z'));
    await drops.beat(Date.parse('2026-06-15T09:00:00Z'));
    await drops.beat(Date.parse('2026-06-15T09:00:00Z'));
    await drops.beat(Date.parse('2026-06-15T09:00:30Z'));
    expect(drops.posts).toHaveLength(1);
    expect((await drops.read('g'))?.lastScheduledDay).toBe('2026-06-15');
  });

  it('a start-up tick and a minute tick at the same time (both read before either posts) post once', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00' }));
    await drops.start(Date.parse('2026-06-15T08:59:00Z'));
    // A second ticker on the same store starts during the 09:00 beat of the first.
    await Promise.all([drops.start(Date.parse('2026-06-15T09:00:00Z'), true), drops.beat(Date.parse('2026-06-15T09:00:00Z'))]);
    expect(drops.posts).toHaveLength(1);
    await drops.stop();
  });

  it('two tickers on one store, beating every minute for three days, post one drop a day', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00', timeZone: 'Europe/Paris' }));
    const from = Date.parse('2026-06-15T00:00:00Z');
    await drops.start(from);
    // The beat reaches both tickers at once.
    await drops.start(from, true);
    for (let ms = from + MINUTE; ms < Date.parse('2026-06-18T00:00:00Z'); ms += MINUTE) await drops.beat(ms);
    expect(drops.posts.map((p) => p.postedAt)).toEqual([
      '2026-06-15T07:00:00.000Z',
      '2026-06-16T07:00:00.000Z',
      '2026-06-17T07:00:00.000Z',
    ]);
    await drops.stop();
  });
});

describe('setting the schedule (the setAt rule)', () => {
  it('setting 09:00 at 10:00: no instant post, first drop tomorrow at 09:00', async () => {
    const now = at('2026-06-15T10:00:00Z');
    const s = setSchedule(null, input('09:00'), now);
    expect(s.setAt).toBe(now.getTime());
    expect(dueScheduledDrop(s, now)).toBeNull();
    expect(dueScheduledDrop(s, at('2026-06-15T23:59:00Z'))).toBeNull();
    expect(nextScheduledDrop(s, now)).toEqual({ day: '2026-06-16', at: at('2026-06-16T09:00:00Z') });
    expect(dueScheduledDrop(s, at('2026-06-16T09:00:00Z'))?.day).toBe('2026-06-16');
  });

  it('setting 09:00 during the 09:00 minute posts at once', async () => {
    const s = setSchedule(null, input('09:00'), at('2026-06-15T09:00:40Z'));
    expect(dueScheduledDrop(s, at('2026-06-15T09:00:41Z'))?.day).toBe('2026-06-15');
  });

  it('setting 11:00 at 10:00 posts today at 11:00', async () => {
    const drops = new Drops();
    await drops.set('g', setSchedule(null, input('11:00'), at('2026-06-15T10:00:00Z')));
    await runTicks(drops, '2026-06-15T10:00:00Z', '2026-06-16T00:00:00Z');
    expect(drops.posts).toEqual([{ server: 'g', day: '2026-06-15', postedAt: '2026-06-15T11:00:00.000Z' }]);
  });

  it('re-setting a pending 12:00 to a later 14:00 the same day posts at 14:00 only', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '12:00', lastScheduledDay: '2026-06-14' }));
    await runTicks(drops, '2026-06-15T08:00:00Z', '2026-06-15T10:00:00Z');
    await drops.set('g', setSchedule((await drops.read('g')) ?? null, input('14:00'), at('2026-06-15T10:00:00Z')));
    await runTicks(drops, '2026-06-15T10:00:00Z', '2026-06-16T00:00:00Z');
    expect(drops.posts).toEqual([{ server: 'g', day: '2026-06-15', postedAt: '2026-06-15T14:00:00.000Z' }]);
  });

  it('re-setting to a later time after today’s drop was posted: no second drop today', async () => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: '09:00', lastScheduledDay: '2026-06-14' }));
    await runTicks(drops, '2026-06-15T08:00:00Z', '2026-06-15T10:00:00Z');
    const reset = setSchedule((await drops.read('g')) ?? null, input('11:00'), at('2026-06-15T10:00:00Z'));
    expect(reset.lastScheduledDay).toBe('2026-06-15');
    await drops.set('g', reset);
    expect(nextScheduledDrop(reset, at('2026-06-15T10:00:00Z'))).toEqual({ day: '2026-06-16', at: at('2026-06-16T11:00:00Z') });
    await runTicks(drops, '2026-06-15T10:00:00Z', '2026-06-16T12:00:00Z');
    expect(drops.posts.map((p) => p.postedAt)).toEqual(['2026-06-15T09:00:00.000Z', '2026-06-16T11:00:00.000Z']);
  });

  it('changing only the deck or channel keeps setAt, so a missed drop today is still caught up', async () => {
    const before = schedule({ at: '09:00', lastScheduledDay: '2026-06-14' });
    const now = at('2026-06-15T10:00:00Z');
    const after = setSchedule(before, input('09:00', 'UTC', { deck: 'mlops wk9', channelId: 'c2' }), now);
    expect(after).toEqual({ ...before, deck: 'mlops wk9', channelId: 'c2' });
    expect(dueScheduledDrop(after, now)?.day).toBe('2026-06-15');
  });

  it('changing the time to one already past today (drop not posted yet) starts tomorrow', async () => {
    const before = schedule({ at: '12:00', lastScheduledDay: '2026-06-14' });
    const now = at('2026-06-15T10:00:00Z');
    const after = setSchedule(before, input('08:00'), now);
    expect(dueScheduledDrop(after, now)).toBeNull();
    expect(nextScheduledDrop(after, now).day).toBe('2026-06-16');
  });

  it('changing the zone moves the last posted day into the new zone: no two drops on one local day, no skipped day', async () => {
    // Posted Auckland's 2026-03-11 drop at 09:00 NZDT = 2026-03-10T20:00Z.
    const before = schedule({ at: '09:00', timeZone: 'Pacific/Auckland', lastScheduledDay: '2026-03-11' });
    const now = at('2026-03-10T21:00:00Z'); // 17:00 on the 10th in New York
    const after = setSchedule(before, input('18:00', 'America/New_York'), now);
    expect(after.lastScheduledDay).toBe('2026-03-10');
    expect(dueScheduledDrop(after, at('2026-03-10T22:00:00Z'))).toBeNull();
    expect(nextScheduledDrop(after, now)).toEqual({ day: '2026-03-11', at: at('2026-03-11T22:00:00Z') });
  });

  it('a first schedule has no last day', async () => {
    expect(setSchedule(null, input('09:00'), at('2026-06-15T10:00:00Z')).lastScheduledDay).toBeNull();
  });
});

describe('DST days: exactly one drop, at the documented instant', () => {
  it.each([
    // Spring forward: a skipped time moves forward by the gap (02:30 -> 03:30).
    ['America/New_York', '02:30', '2026-03-07', ['2026-03-07T07:30:00.000Z', '2026-03-08T07:30:00.000Z', '2026-03-09T06:30:00.000Z']],
    ['Europe/Paris', '02:30', '2026-03-28', ['2026-03-28T01:30:00.000Z', '2026-03-29T01:30:00.000Z', '2026-03-30T00:30:00.000Z']],
    // Fall back: a repeated time drops at its first occurrence only.
    ['America/New_York', '01:30', '2026-10-31', ['2026-10-31T05:30:00.000Z', '2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']],
    ['Europe/Paris', '02:30', '2026-10-24', ['2026-10-24T00:30:00.000Z', '2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']],
    // Lord Howe's half-hour change (+10:30 -> +11): 02:15 on 2026-10-04 becomes 02:45.
    ['Australia/Lord_Howe', '02:15', '2026-10-03', ['2026-10-02T15:45:00.000Z', '2026-10-03T15:45:00.000Z', '2026-10-04T15:15:00.000Z']],
  ])('%s at %s over three days from %s', async (tz, time, firstDay, expected) => {
    const drops = new Drops();
    await drops.set('g', schedule({ at: time, timeZone: tz }));
    const from = startOfLocalDay(firstDay, tz).toISOString();
    const to = startOfLocalDay(addDays(firstDay, 3), tz).toISOString();
    await runTicks(drops, from, to);
    expect(drops.posts.map((p) => p.postedAt)).toEqual(expected);
    expect(drops.posts.map((p) => p.day)).toEqual([firstDay, addDays(firstDay, 1), addDays(firstDay, 2)]);
  });
});

describe('a month of minute ticks across DST changes, several servers', () => {
  type Server = { id: string; time: string; timeZone: string };

  /**
   * The expected posts (schedules set at `from`): for each local day whose drop
   * time is not before `from`, the first tick at or after it within that local day.
   */
  function expectedPosts(servers: Server[], from: string, to: string, down: [string, string][]): Map<string, string[]> {
    const ticks = tickTimes(from, to, down);
    const out = new Map<string, string[]>();
    for (const s of servers) {
      const posts: string[] = [];
      const last = localDay(new Date(Date.parse(to) - 1), s.timeZone);
      for (let day = localDay(new Date(from), s.timeZone); day <= last; day = addDays(day, 1)) {
        const dropAt = scheduledDropAt(schedule({ at: s.time, timeZone: s.timeZone }), day).getTime();
        const end = startOfLocalDay(addDays(day, 1), s.timeZone).getTime();
        const first = dropAt >= Date.parse(from) ? ticks.find((ms) => ms >= dropAt && ms < end) : undefined;
        if (first !== undefined) posts.push(`${day} ${new Date(first).toISOString()}`);
      }
      out.set(s.id, posts);
    }
    return out;
  }

  async function run(servers: Server[], from: string, to: string, down: [string, string][] = []) {
    const drops = new Drops();
    for (const s of servers) await drops.set(s.id, schedule({ at: s.time, timeZone: s.timeZone, setAt: Date.parse(from) }));
    await runTicks(drops, from, to, down);
    const actual = new Map(servers.map((s) => [s.id, drops.posts.filter((p) => p.server === s.id).map((p) => `${p.day} ${p.postedAt}`)]));
    return { actual, expected: expectedPosts(servers, from, to, down) };
  }

  const spring: Server[] = [
    { id: 'ny', time: '02:30', timeZone: 'America/New_York' },
    { id: 'paris', time: '02:30', timeZone: 'Europe/Paris' },
    { id: 'kolkata', time: '23:59', timeZone: 'Asia/Kolkata' },
  ];

  it('March 2026 (New York and Paris spring forward), always running: one drop per local day each', async () => {
    const { actual, expected } = await run(spring, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z');
    expect(actual).toEqual(expected);
    const ny = actual.get('ny') ?? [];
    const paris = actual.get('paris') ?? [];
    // New York: 02:30 EST = 07:30Z until the 7th, 03:30 EDT = 07:30Z on the 8th, 02:30 EDT = 06:30Z after.
    expect(ny).toHaveLength(31);
    expect(ny.map((p) => p.slice(0, 10))).toEqual(Array.from({ length: 31 }, (_, i) => addDays('2026-03-01', i)));
    expect(ny[6]).toBe('2026-03-07 2026-03-07T07:30:00.000Z');
    expect(ny[7]).toBe('2026-03-08 2026-03-08T07:30:00.000Z');
    expect(ny[8]).toBe('2026-03-09 2026-03-09T06:30:00.000Z');
    // Paris: 02:30 CET = 01:30Z, 03:30 CEST = 01:30Z on the 29th, 02:30 CEST = 00:30Z after.
    expect(paris).toHaveLength(31);
    expect(paris.map((p) => p.slice(0, 10))).toEqual(Array.from({ length: 31 }, (_, i) => addDays('2026-03-01', i)));
    expect(paris[27]).toBe('2026-03-28 2026-03-28T01:30:00.000Z');
    expect(paris[28]).toBe('2026-03-29 2026-03-29T01:30:00.000Z');
    expect(paris[29]).toBe('2026-03-30 2026-03-30T00:30:00.000Z');
    // Kolkata at 23:59 (18:29Z): local days 03-01 .. 03-31 all fall in the window.
    expect(actual.get('kolkata')).toHaveLength(31);
  });

  it('October-November 2026 (fall back), with restarts and a long outage: matches the rules exactly', async () => {
    const servers: Server[] = [
      { id: 'ny', time: '01:30', timeZone: 'America/New_York' },
      { id: 'paris', time: '02:30', timeZone: 'Europe/Paris' },
      { id: 'auckland', time: '09:00', timeZone: 'Pacific/Auckland' },
    ];
    const down: [string, string][] = [
      // Across Paris's first 02:30 on its fall-back day (00:30Z) until after the second one (01:30Z).
      ['2026-10-25T00:00:00Z', '2026-10-25T01:45:00Z'],
      // Across New York's first 01:30 on 11-01 (05:30Z), back during the second 01:30 (06:30Z).
      ['2026-11-01T05:00:00Z', '2026-11-01T06:31:00Z'],
      // A long outage: all of Paris's 11-03, back at 06:00 local on 11-04.
      ['2026-11-02T22:00:00Z', '2026-11-04T05:00:00Z'],
    ];
    const { actual, expected } = await run(servers, '2026-10-15T00:00:00Z', '2026-11-15T00:00:00Z', down);
    expect(actual).toEqual(expected);
    for (const posts of actual.values()) {
      const days = posts.map((p) => p.slice(0, 10));
      expect(new Set(days).size).toBe(days.length);
    }
    const paris = actual.get('paris') ?? [];
    expect(paris).toContain('2026-10-25 2026-10-25T01:44:17.000Z');
    expect(paris.some((p) => p.startsWith('2026-11-03'))).toBe(false);
    expect(paris).toContain('2026-11-04 2026-11-04T04:59:17.000Z');
    const ny = actual.get('ny') ?? [];
    expect(ny).toContain('2026-11-01 2026-11-01T06:30:17.000Z');
    expect(ny.filter((p) => p.startsWith('2026-11-01'))).toHaveLength(1);
    // Every local day in range has exactly one drop except the outage's missed days.
    expect(paris).toHaveLength(31 - 1);
  });
});

describe('the schedule record: off, set again, claim', () => {
  const on = schedule({ at: '09:00', lastScheduledDay: '2026-06-15', setAt: LONG_AGO });
  const now = at('2026-06-15T10:00:00Z');

  it('turnOff keeps the record disabled with its last day; nothing to turn off gives null', () => {
    expect(turnOff(on)).toEqual({ ...on, enabled: false });
    expect(turnOff({ ...on, enabled: false })).toBeNull();
    expect(turnOff(null)).toBeNull();
  });

  it('a disabled schedule is never due', () => {
    const off = { ...on, enabled: false, lastScheduledDay: '2026-06-14' };
    expect(dueScheduledDrop(off, now)).toBeNull();
    expect(dueScheduledDrop({ ...off, enabled: true }, now)?.day).toBe('2026-06-15');
  });

  it.each([
    ['after /daily off: starts fresh (setAt now), keeps the last day', { ...on, enabled: false }, '09:00', now.getTime(), '2026-06-15'],
    ['after /daily off, same time: still starts fresh', { ...on, enabled: false, lastScheduledDay: '2026-06-14' }, '09:00', now.getTime(), '2026-06-14'],
    ['while on, same time: keeps setAt', on, '09:00', LONG_AGO, '2026-06-15'],
    ['while on, another time: setAt now', on, '11:00', now.getTime(), '2026-06-15'],
    ['no schedule before', null, '09:00', now.getTime(), null],
  ])('setSchedule %s', (_what, previous, time, setAt, lastDay) => {
    const next = setSchedule(previous, input(time), now);
    expect(next).toMatchObject({ enabled: true, setAt, lastScheduledDay: lastDay });
  });

  it('set again after /daily off the day its drop was posted: that day gets no second drop', () => {
    const again = setSchedule(turnOff(on), input('15:00'), now);
    expect(dueScheduledDrop(again, at('2026-06-15T15:00:00Z'))).toBeNull();
    expect(nextScheduledDrop(again, now)).toEqual({ day: '2026-06-16', at: at('2026-06-16T15:00:00Z') });
  });

  it.each([
    ['a first claim', null, '2026-06-15', '2026-06-15'],
    ['the next day', '2026-06-14', '2026-06-15', '2026-06-15'],
    ['the same day again', '2026-06-15', '2026-06-15', null],
    ['a day before the last one', '2026-06-16', '2026-06-15', null],
  ])('claimDay: %s', (_what, last, day, claimed) => {
    const result = claimDay(schedule({ lastScheduledDay: last }), day);
    expect(result?.lastScheduledDay ?? null).toBe(claimed);
  });
});

describe('reading what earlier versions stored', () => {
  const { enabled: _enabled, ...old } = schedule({ at: '09:00', lastScheduledDay: '2026-06-15' });
  const legacy = { ...old, guildId: 'g' };

  it.each([
    ['a schedule without the flag is on', legacy, undefined, true],
    ['a schedule kept aside by /daily off is off', undefined, legacy, false],
    ['the new record, off', { ...old, enabled: false }, undefined, false],
    ['the new record, on', { ...old, enabled: true }, undefined, true],
    ['the record wins over a leftover off key', { ...old, enabled: true }, { ...legacy, lastScheduledDay: '2026-06-01' }, true],
  ])('%s', (_what, record, off, enabled) => {
    expect(storedSchedule(record, off)).toEqual({ ...old, enabled });
  });

  it('nothing stored: no schedule', () => {
    expect(storedSchedule(undefined, undefined)).toBeUndefined();
  });

  it('a store written by the earlier version keeps its open drop and its posted day', async () => {
    const keyv = new Keyv();
    await keyv.set('daily:off:g', legacy);
    await keyv.set('daily:schedule:h', { ...legacy, guildId: 'h' });
    await keyv.set('daily:index', ['h']);
    const store = new DailyStore(new Store(keyv));
    expect(await store.schedule('g')).toEqual({ ...old, enabled: false });
    expect(await store.schedule('h')).toEqual({ ...old, enabled: true });
    expect(await store.servers()).toEqual(['h']);
    // Writing the record replaces the old key.
    await store.saveSchedule('g', setSchedule((await store.schedule('g')) ?? null, input('15:00'), at('2026-06-15T12:00:00Z')));
    expect(await keyv.get('daily:off:g')).toBeUndefined();
    expect(await store.schedule('g')).toMatchObject({ enabled: true, lastScheduledDay: '2026-06-15' });
    expect(await store.servers()).toEqual(['h', 'g']);
  });
});
