/**
 * When a server's daily drop is due. Pure decisions over a stored schedule
 * and a given instant; the storage layer makes posting idempotent by
 * atomically claiming the day (compare-and-set on `lastScheduledDay`).
 *
 * Rules:
 * - One scheduled drop per server per local day (in the schedule's zone), at
 *   the set time. DST: see `zonedInstant` (a skipped time moves forward by the
 *   gap's length, a repeated time means its first occurrence).
 * - Catch-up: if the bot was down (or a tick was missed) at the time, the drop
 *   is due as soon as it runs again on the same local day. A missed day is
 *   never posted on a later day: the next day only gets its own drop.
 * - The `setAt` rule: a day's drop is due only if the schedule was already set
 *   when that drop time came (drop time >= `setAt`, compared to the minute,
 *   so setting 09:00 during 09:00 still posts at once). So setting 09:00 at
 *   10:00 means the first drop is tomorrow at 09:00, not an instant post;
 *   setting 11:00 at 10:00 posts today at 11:00. A restart does not change
 *   `setAt`, so a missed drop is still caught up after downtime.
 * - `lastScheduledDay` is kept when the schedule is set again, so a day whose
 *   scheduled drop was posted never gets a second one, whatever the new time
 *   (a day is due only if it is after `lastScheduledDay`). When the zone
 *   changes, it becomes the new zone's local day of the last drop's time.
 * - Claiming: once the drop was posted, `claimDay` sets `lastScheduledDay` to
 *   the due day (inside the server's lock, so nothing changed the record
 *   since it was read); a drop that could not be posted claims nothing, so
 *   the next tick tries again while the day lasts.
 * - One record per server: `/daily off` keeps it with `enabled: false`, so a
 *   day whose scheduled drop was posted never gets a second one, even when
 *   the schedule is turned off and set again that day. A new schedule after
 *   `/daily off` starts fresh (`setAt` is the time it is set).
 * - `/daily now` posts an extra drop and does not touch `lastScheduledDay`:
 *   the day's scheduled drop still comes at its time.
 */
import { addDays, floorToMinute, isDay, localDay, zonedInstant, type TimeOfDay } from './time.ts';

export interface DailySchedule {
  /** False after `/daily off`: nothing is posted, but `lastScheduledDay` still counts. */
  enabled: boolean;
  channelId: string;
  time: TimeOfDay;
  /** A canonical IANA name (see `canonicalTimeZone`). */
  timeZone: string;
  /** Deck name, or null for any deck of the server. */
  deck: string | null;
  /** Epoch ms when the time/zone were last set. */
  setAt: number;
  /** Local day ('YYYY-MM-DD', schedule's zone) of the last scheduled drop posted, or null if none yet. */
  lastScheduledDay: string | null;
}

export interface ScheduledDrop {
  /** The local day the drop belongs to; the value to claim in `lastScheduledDay`. */
  day: string;
  /** The instant of the set time on that day. */
  at: Date;
}

export interface ScheduleInput {
  channelId: string;
  time: TimeOfDay;
  timeZone: string;
  deck: string | null;
}

/**
 * The schedule after `/daily set` at `now`. `lastScheduledDay` is carried
 * over (moved to the new zone's day when the zone changes), also from a
 * schedule that was turned off. `setAt` is kept when only the channel or deck
 * of a running schedule changes (time and zone unchanged), so such a change
 * does not cancel a drop that is pending today.
 */
export function setSchedule(previous: DailySchedule | null, input: ScheduleInput, now: Date): DailySchedule {
  const sameTime =
    previous !== null &&
    previous.enabled &&
    previous.timeZone === input.timeZone &&
    previous.time.hour === input.time.hour &&
    previous.time.minute === input.time.minute;
  return {
    enabled: true,
    channelId: input.channelId,
    time: { hour: input.time.hour, minute: input.time.minute },
    timeZone: input.timeZone,
    deck: input.deck,
    setAt: sameTime ? previous.setAt : now.getTime(),
    lastScheduledDay: lastDayIn(previous, input.timeZone),
  };
}

function lastDayIn(previous: DailySchedule | null, timeZone: string): string | null {
  if (previous === null || previous.lastScheduledDay === null) return null;
  if (previous.timeZone === timeZone || !isDay(previous.lastScheduledDay)) return previous.lastScheduledDay;
  return localDay(scheduledDropAt(previous, previous.lastScheduledDay), timeZone);
}

/** The schedule after `/daily off`, or null when drops are not on. */
export function turnOff(schedule: DailySchedule | null): DailySchedule | null {
  return schedule?.enabled ? { ...schedule, enabled: false } : null;
}

/**
 * Whether the scheduled drop of local `day` may still be claimed, given the
 * stored `lastScheduledDay`: only days after the last one claimed.
 */
function canClaimDay(lastScheduledDay: string | null, day: string): boolean {
  return lastScheduledDay === null || day > lastScheduledDay;
}

/** The schedule once the drop of local `day` was posted, or null when that day was already claimed. */
export function claimDay(schedule: DailySchedule, day: string): DailySchedule | null {
  return canClaimDay(schedule.lastScheduledDay, day) ? { ...schedule, lastScheduledDay: day } : null;
}

/** A schedule as earlier versions stored it: no `enabled` flag, a server id. */
export type LegacySchedule = Omit<DailySchedule, 'enabled'> & { enabled?: boolean };

/**
 * The schedule record from what the store holds: the record itself (written
 * without `enabled` by earlier versions, when it meant "on"), else the
 * schedule earlier versions kept aside after `/daily off`.
 */
export function storedSchedule(record: LegacySchedule | undefined, legacyOff: LegacySchedule | undefined): DailySchedule | undefined {
  const found = record ?? legacyOff;
  if (!found) return undefined;
  const { channelId, time, timeZone, deck, setAt, lastScheduledDay } = found;
  return { enabled: record ? record.enabled !== false : false, channelId, time, timeZone, deck, setAt, lastScheduledDay };
}

/** The instant of the schedule's drop on local `day`. */
export function scheduledDropAt(schedule: DailySchedule, day: string): Date {
  return zonedInstant(day, schedule.time, schedule.timeZone);
}

/**
 * Whether local `day` gets a scheduled drop at all: not already posted (or
 * superseded by a later posted day), and its drop time not before the
 * schedule was set.
 */
function dayIsOwed(schedule: DailySchedule, day: string, at: Date): boolean {
  if (!canClaimDay(schedule.lastScheduledDay, day)) return false;
  return at.getTime() >= floorToMinute(schedule.setAt);
}

/**
 * The scheduled drop to post at `now`, or null. Only today's (local) drop can
 * be due: it is due from its time until the end of the local day, unless it
 * was posted or the `setAt` rule excludes it. Claim `day` before posting.
 */
export function dueScheduledDrop(schedule: DailySchedule, now: Date): ScheduledDrop | null {
  if (!schedule.enabled) return null;
  const day = localDay(now, schedule.timeZone);
  const at = scheduledDropAt(schedule, day);
  if (at.getTime() > now.getTime()) return null;
  return dayIsOwed(schedule, day, at) ? { day, at } : null;
}

/**
 * The next scheduled drop not yet posted, for replies and status. When
 * today's drop is due but not posted yet, that one is returned (its `at` is
 * then not after `now`: "any moment now").
 */
export function nextScheduledDrop(schedule: DailySchedule, now: Date): ScheduledDrop {
  const due = dueScheduledDrop(schedule, now);
  if (due) return due;
  // The first candidate day: today, or later when a later day was already
  // posted or the schedule was set in the future (clock differences).
  const candidates = [localDay(now, schedule.timeZone), localDay(new Date(floorToMinute(schedule.setAt)), schedule.timeZone)];
  if (schedule.lastScheduledDay !== null && isDay(schedule.lastScheduledDay)) {
    candidates.push(addDays(schedule.lastScheduledDay, 1));
  }
  let day = candidates.sort().at(-1) as string;
  let at = scheduledDropAt(schedule, day);
  for (let i = 0; i < 3 && !(at.getTime() > now.getTime() && dayIsOwed(schedule, day, at)); i++) {
    day = addDays(day, 1);
    at = scheduledDropAt(schedule, day);
  }
  return { day, at };
}
