/**
 * `npm run simulate -- [--students 30] [--days 28] [--seed 1] [--deck mlops]`
 *
 * Simulates a class studying a real deck under three scenarios (random
 * questions; class-adaptive questions; adaptive plus practice for half the
 * class) and prints mean true recall and well-known cards side by side.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DeckLibrary } from '../deck/library.ts';
import { loadDecksDir } from '../deck/load.ts';
import { formatDeckError } from '../deck/types.ts';
import { formatSimulation, simulate } from '../study/simulate.ts';
import { listDecks } from './play.ts';

export interface SimulateArgs {
  readonly students: number;
  readonly days: number;
  readonly seed: string;
  readonly deck: string;
}

export const SIMULATE_USAGE = 'usage: npm run simulate -- [--students 30] [--days 28] [--seed 1] [--deck mlops]';

function whole(name: string, text: string, min: number, max: number): number | string {
  const n = Number(text);
  return /^\d+$/.test(text) && n >= min && n <= max ? n : `--${name} expects a whole number from ${min} to ${max}, got "${text}"`;
}

export function parseSimulateArgs(argv: readonly string[]): { ok: true; args: SimulateArgs } | { ok: false; message: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { students: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, deck: { type: 'string' } },
    }));
  } catch (error) {
    return { ok: false, message: `${(error as Error).message}\n${SIMULATE_USAGE}` };
  }
  const students = whole('students', values.students ?? '30', 1, 1000);
  const days = whole('days', values.days ?? '28', 1, 365);
  if (typeof students === 'string') return { ok: false, message: students };
  if (typeof days === 'string') return { ok: false, message: days };
  return { ok: true, args: { students, days, seed: values.seed ?? '1', deck: values.deck ?? 'mlops' } };
}

/** Runs the simulation on a deck of the library; returns the exit code. */
export function runSimulation(library: DeckLibrary, args: SimulateArgs, write: (text: string) => void): number {
  const cards = library.cards(args.deck);
  if (!cards || cards.length === 0) {
    write(`No deck "${args.deck}". Available decks:\n${listDecks(library)}\n`);
    return 1;
  }
  write(`${formatSimulation(simulate({ cards, students: args.students, days: args.days, seed: args.seed }))}\n`);
  return 0;
}

async function main(): Promise<number> {
  const parsed = parseSimulateArgs(process.argv.slice(2));
  if (!parsed.ok) {
    process.stderr.write(`${parsed.message}\n`);
    return 1;
  }
  const { decks, errors } = await loadDecksDir(process.env.DECKS_DIR ?? 'decks');
  for (const error of errors) process.stderr.write(`${formatDeckError(error)}\n`);
  return runSimulation(new DeckLibrary(decks), parsed.args, (text) => process.stdout.write(text));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
