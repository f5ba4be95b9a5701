/**
 * A server's ranking for a period and deck filter: shared by /leaderboard and /export.
 */
import { normalizeName } from '../deck/parse.ts';
import { periodLabel, periodRange } from '../competition/periods.ts';
import { boardByScore, nameBoard, rank, type BoardView } from '../competition/ranking.ts';
import type { Period, RankedRow, Tally, Totals } from '../competition/types.ts';
import type { BotContext } from './context.ts';
import { deckNotFound } from './commands/shared.ts';
import { isUserError, type UserError } from './reply.ts';

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

/** A member without a name on record (left before names were kept, or never named). */
const NO_NAME = 'a former member';

interface Scored {
  readonly tallies: Map<string, Tally>;
  readonly label: string;
  readonly period: string;
  readonly deck: string | null;
  readonly timeZone: string;
}

/** The tallies of a period and deck filter, and how the board is labelled. */
async function scored(ctx: StandingsContext, guildId: string, period: Period, deck: string | null): Promise<Scored | UserError> {
  if (deck && !ctx.library.resolve(deck)) return deckNotFound(ctx.library, deck);
  const decks = deck ? deckMatcher(deck) : undefined;
  const now = ctx.clock.now();
  // Together: the time zone, and the server's scores made ready (on its first use, its layout, journal and seasons are read).
  const [timeZone, seasons] = await Promise.all([ctx.daily.timeZoneOf(guildId), period === 'season' ? ctx.scores.seasons(guildId, now) : ctx.scores.migrate(guildId).then(() => undefined)]);
  let tallies: Map<string, Tally>;
  let seasonName: string | undefined;
  if (period === 'all') {
    tallies = await ctx.scores.tallies(guildId, { kind: 'all' }, decks);
  } else if (period === 'season') {
    const { current } = seasons ?? (await ctx.scores.seasons(guildId, now));
    seasonName = current.name;
    tallies = await ctx.scores.tallies(guildId, { kind: 'season', seasonId: current.id }, decks);
  } else {
    const range = periodRange(period, new Date(now), timeZone);
    tallies = await ctx.scores.tallies(guildId, { kind: 'range', range, timeZone }, decks);
  }
  const shownPeriod = periodLabel(period, new Date(now), timeZone, seasonName);
  const shownDeck = deck ? normalizeName(deck) : null;
  const label = [shownPeriod, shownDeck].filter(Boolean).join(' · ');
  return { tallies, label, period: shownPeriod, deck: shownDeck, timeZone };
}

/** The whole ranking, every member named (for /export and /stats). */
export async function standings(ctx: StandingsContext, guildId: string, period: Period, deck: string | null): Promise<Standings | UserError> {
  const [board, totals] = await Promise.all([scored(ctx, guildId, period, deck), ctx.scores.totals(guildId)]);
  if (isUserError(board)) return board;
  const rows = rank(board.tallies, (userId) => (Object.hasOwn(totals, userId) ? totals[userId]?.name : undefined) || NO_NAME);
  return { rows, label: board.label, period: board.period, deck: board.deck, totals, timeZone: board.timeZone };
}

/** A ranking for one page: its order and ranks are the whole ranking's, but only the page's rows and the caller's row are named. */
export type PageStandings = Omit<Standings, 'totals'>;

/**
 * The ranking as `standings` gives it, for the page `view` shows: only the
 * names that page needs are read (its rows, the rows tied with its first and
 * last on points and correct answers, and the caller's), not every member's
 * record. The other rows have an empty name and are never shown.
 */
export async function standingsPage(ctx: StandingsContext, guildId: string, period: Period, deck: string | null, view: BoardView): Promise<PageStandings | UserError> {
  const board = await scored(ctx, guildId, period, deck);
  if (isUserError(board)) return board;
  const byScore = boardByScore(board.tallies, view);
  const names = await ctx.scores.names(guildId, byScore.needed);
  const nameOf = (userId: string) => names.get(userId) || NO_NAME;
  const rows = nameBoard(byScore, nameOf);
  return { rows, label: board.label, period: board.period, deck: board.deck, timeZone: board.timeZone };
}
