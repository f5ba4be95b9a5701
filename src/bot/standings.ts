/**
 * A server's ranking for a period and deck filter: shared by /leaderboard and /export.
 */
import { normalizeName } from '../deck/parse.ts';
import { periodLabel, periodRange } from '../competition/periods.ts';
import { rank } from '../competition/ranking.ts';
import { tallyFromTotals } from '../competition/aggregate.ts';
import type { Period, RankedRow, Tally, Totals } from '../competition/types.ts';
import type { BotContext } from './context.ts';
import { deckNotFound } from './commands/shared.ts';
import type { UserError } from './reply.ts';

export const PERIOD_CHOICES = [
  { name: 'all time', value: 'all' },
  { name: 'this week', value: 'week' },
  { name: 'this month', value: 'month' },
  { name: 'this season', value: 'season' },
] as const satisfies readonly { name: string; value: Period }[];

export interface Standings {
  readonly rows: RankedRow[];
  /** e.g. "this week (Mon 23 Nov – Sun 29 Nov) · mlops". */
  readonly label: string;
  /** The period alone, e.g. "this week (Mon 23 Nov – Sun 29 Nov)". */
  readonly period: string;
  /** The deck filter as normalised, or null for every deck. */
  readonly deck: string | null;
  /** All-time totals (names, streak days) of the server. */
  readonly totals: Totals;
  readonly timeZone: string;
}

/** Does a stored deck name belong to what the member typed (a course or a full deck name)? */
export function deckMatcher(query: string): (deck: string) => boolean {
  const q = normalizeName(query);
  return q.includes(' ') ? (deck) => deck === q : (deck) => deck === q || deck.startsWith(`${q} `);
}

/** What `standings` reads: the decks, the scores, the time and the server's time zone. */
export type StandingsContext = Pick<BotContext, 'library' | 'scores' | 'clock'> & { readonly daily: Pick<BotContext['daily'], 'timeZoneOf'> };

export async function standings(ctx: StandingsContext, guildId: string, period: Period, deck: string | null): Promise<Standings | UserError> {
  if (deck && !ctx.library.resolve(deck)) return deckNotFound(ctx.library, deck);
  const decks = deck ? deckMatcher(deck) : undefined;
  const now = ctx.clock.now();
  const timeZone = await ctx.daily.timeZoneOf(guildId);
  let totals: Totals;
  let tallies: Map<string, Tally>;
  let seasonName: string | undefined;
  if (period === 'all') {
    // The all-time tallies come from the same totals that give the names: read them once.
    totals = await ctx.scores.totals(guildId);
    tallies = tallyFromTotals(totals, decks);
  } else if (period === 'season') {
    const seasons = await ctx.scores.seasons(guildId, now);
    seasonName = seasons.current.name;
    [totals, tallies] = await Promise.all([ctx.scores.totals(guildId), ctx.scores.tallies(guildId, { kind: 'season', seasonId: seasons.current.id }, decks)]);
  } else {
    const range = periodRange(period, new Date(now), timeZone);
    [totals, tallies] = await Promise.all([ctx.scores.totals(guildId), ctx.scores.tallies(guildId, { kind: 'range', range, timeZone }, decks)]);
  }
  const rows = rank(tallies, (userId) => (Object.hasOwn(totals, userId) ? totals[userId]?.name : undefined) || 'a former member');
  const shownPeriod = periodLabel(period, new Date(now), timeZone, seasonName);
  const shownDeck = deck ? normalizeName(deck) : null;
  const label = [shownPeriod, shownDeck].filter(Boolean).join(' · ');
  return { rows, label, period: shownPeriod, deck: shownDeck, totals, timeZone };
}
