/**
 * Daily drops after the machine's clock steps (an NTP correction, a resumed VM):
 * the minute ticker runs on elapsed time and reads the wall clock, so the due
 * drop comes within a minute, never twice, and the step is logged once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { classGuild, closeChecked, eventually, startHarness, teacher, type Harness } from './harness.ts';

const MIN = 60_000;
/** 2026-11-27 at hh:mm UTC. */
const utc = (hour: number, minute = 0) => Date.UTC(2026, 10, 27, hour, minute);

let h: Harness | undefined;
afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness) await closeChecked(harness);
});

const guilds = [classGuild('Class A'), classGuild('Class B')];

async function start(now: number): Promise<Harness> {
  h = await startHarness({ guilds, now, clockTimer: true });
  return h;
}

async function setDaily(x: Harness, guildIndex: number, time: string): Promise<void> {
  const guild = guilds[guildIndex]!;
  const command = await x.fake.slashCommand({ name: 'daily', subcommand: 'set', options: { channel: guild.channels[1]!.id, time }, user: teacher, guildId: guild.id, channelId: guild.channels[0]!.id });
  await command.waitForReply();
}

/** Lets `n` minutes of elapsed time pass, one tick at a time (each tick waits for the previous one). */
async function minutes(x: Harness, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await eventually(() => expect(x.clock.pendingTimers).toBe(1));
    x.clock.advance(MIN);
  }
  await eventually(() => expect(x.clock.pendingTimers).toBe(1));
}

const drops = (x: Harness, guildIndex: number) => x.fake.channelMessages(guilds[guildIndex]!.channels[1]!.id).filter((m) => m.embeds[0]?.title === 'Question of the day');
const jumpLogs = (x: Harness) => x.logs.filter((l) => l.message.startsWith('The clock jumped'));

describe('daily drops when the clock steps', () => {
  it('forward past the drop time: the drop is posted within a minute, once, and the step is logged once', async () => {
    const x = await start(utc(8, 0));
    await setDaily(x, 0, '09:00');
    await minutes(x, 1);
    expect(drops(x, 0)).toHaveLength(0);
    x.clock.jump(120 * MIN);
    await minutes(x, 1);
    expect(drops(x, 0)).toHaveLength(1);
    await minutes(x, 5);
    expect(drops(x, 0)).toHaveLength(1);
    expect(jumpLogs(x).map((l) => l.message)).toEqual(['The clock jumped 2 h forward; daily drops follow the new time.']);
  });

  it('back by 2 hours: ticks go on, a drop due in the repeated hours comes on time, none comes twice', async () => {
    const x = await start(utc(9, 58));
    await setDaily(x, 0, '10:00');
    await minutes(x, 3);
    expect(drops(x, 0)).toHaveLength(1);
    x.clock.jump(-120 * MIN);
    // 08:01 again: another server's drop at 08:30 still comes within a minute of 08:30.
    await setDaily(x, 1, '08:30');
    await minutes(x, 28);
    expect(drops(x, 1)).toHaveLength(0);
    await minutes(x, 1);
    expect(drops(x, 1)).toHaveLength(1);
    // Past 10:00 again: the first server's drop of the day is not posted a second time.
    await minutes(x, 95);
    expect(drops(x, 0)).toHaveLength(1);
    expect(drops(x, 1)).toHaveLength(1);
    expect(jumpLogs(x).map((l) => l.message)).toEqual(['The clock jumped 2 h back; daily drops follow the new time.']);
  });
});
