/**
 * `npm run play -- <deck or course> [--questions N] [--seed S] [--section NAME]`
 *
 * Quizzes in the terminal with the same engine and judge as the bot. Works
 * interactively and with piped input (one reply per line). Special replies:
 * `?` for a hint, an empty line to skip, `/quit` to stop.
 */
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { renderPrompt, type Card } from '../deck/types.ts';
import { DeckLibrary } from '../deck/library.ts';
import { loadDecksDir } from '../deck/load.ts';
import { formatDeckError } from '../deck/types.ts';
import { seededRandom } from '../engine/random.ts';
import { chooseRoundCards, fewerNotesNote } from '../engine/select.ts';
import { notQuite } from '../engine/judge.ts';
import { advance, currentQuestion, hint, reply, skip, startRound, stop, type RoundState } from '../engine/round.ts';

export interface PlayOptions {
  readonly query: string;
  readonly questions: number;
  readonly seed: string;
  readonly section?: string;
}

export type ParsedPlayArgs = { ok: true; options: PlayOptions } | { ok: false; message: string };

export const PLAY_USAGE = 'usage: npm run play -- <deck or course> [--questions N] [--seed S] [--section NAME]';

export function parsePlayArgs(argv: readonly string[], defaultSeed: string): ParsedPlayArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: { questions: { type: 'string', short: 'n' }, seed: { type: 'string' }, section: { type: 'string' } },
    });
  } catch (error) {
    return { ok: false, message: `${(error as Error).message}\n${PLAY_USAGE}` };
  }
  const query = parsed.positionals.join(' ').trim();
  if (!query) return { ok: false, message: PLAY_USAGE };
  const questionsText = parsed.values.questions ?? '5';
  const questions = Number(questionsText);
  if (!/^\d+$/.test(questionsText) || questions < 1 || questions > 500) {
    return { ok: false, message: `--questions expects a whole number from 1 to 500, got "${questionsText}"` };
  }
  const section = parsed.values.section;
  return { ok: true, options: { query, questions, seed: parsed.values.seed ?? defaultSeed, ...(section ? { section } : {}) } };
}

/** How a card with several blanks is answered, shown under its prompt. */
export function answerFormatHint(card: Card): string | undefined {
  const n = card.answers.length;
  return n > 1 ? `${n} blanks: answer them in order, separated by commas (or as the phrase reads)` : undefined;
}

export interface PlayIo {
  readonly lines: AsyncIterator<string>;
  readonly write: (text: string) => void;
  readonly now: () => number;
  /** Repeat each reply after the prompt (input that is piped in is not shown by the terminal). */
  readonly echo?: boolean;
}

/** Runs one terminal round; returns the exit code. */
export async function play(library: DeckLibrary, options: PlayOptions, io: PlayIo): Promise<number> {
  const pool = library.cards(options.query, options.section);
  if (!pool || pool.length === 0) {
    const what = pool && options.section ? `section "${options.section}" in "${options.query}"` : `deck "${options.query}"`;
    io.write(`No ${what}. Available decks:\n${listDecks(library)}\n`);
    return 1;
  }
  const cards = chooseRoundCards(pool, options.questions, seededRandom(options.seed));
  const fewer = fewerNotesNote(options.section ? `${options.query} · ${options.section}` : options.query, options.questions, cards.length);
  if (fewer) io.write(`${fewer}\n`);
  let state: RoundState = startRound(cards, { seconds: 60, startedBy: 'you' }, io.now());
  while (!state.finished) {
    const question = currentQuestion(state);
    if (!question) {
      state = advance(state, io.now());
      continue;
    }
    const { card } = question;
    io.write(`\nQuestion ${question.index + 1} of ${cards.length} · ${card.deck}${card.section ? ` · ${card.section}` : ''}\n`);
    io.write(`${renderPrompt(card)}\n`);
    const format = answerFormatHint(card);
    if (format) io.write(`(${format})\n`);
    for (;;) {
      io.write('> ');
      const next = await io.lines.next();
      if (next.done || next.value.trim() === '/quit') {
        io.write('\n');
        state = stop(state).state;
        break;
      }
      const text = next.value;
      if (io.echo) io.write(`${text}\n`);
      if (text.trim() === '') {
        state = skip(state).state;
        io.write(`Skipped. Answer: ${card.answers.join(' / ')}\n`);
        break;
      }
      if (text.trim() === '?') {
        const result = hint(state, io.now());
        state = result.state;
        io.write(result.outcome.type === 'hint' ? `Hint: ${result.outcome.masks.join(' / ')} (now worth ${result.outcome.worth} points)\n` : 'No more hints.\n');
        continue;
      }
      const result = reply(state, 'you', text, io.now());
      state = result.state;
      if (result.outcome.type === 'ignored' && result.outcome.why === 'not-an-answer') {
        io.write('That does not look like an answer: type the missing words, `?` for a hint, an empty line to skip.\n');
        continue;
      }
      if (result.outcome.type === 'correct') {
        const { points } = result.outcome;
        io.write(`Correct! ${card.answers.join(' / ')} (+${points.total} points${points.speedBonus ? `, ${points.speedBonus} for speed` : ''})\n`);
      } else {
        const why = result.outcome.type === 'wrong' ? notQuite(result.outcome.verdict) : 'Too late.';
        io.write(`${why} Answer: ${card.answers.join(' / ')}\n`);
        state = skip(state).state;
      }
      break;
    }
    state = advance(state, io.now());
  }
  const score = state.scores['you'] ?? { points: 0, correct: 0 };
  io.write(`\nScore: ${score.correct} of ${state.questions.length} correct, ${score.points} points\n`);
  return 0;
}

export function listDecks(library: DeckLibrary): string {
  return library.decks.map((deck) => `  ${deck.name} (${deck.cards.length} cards)`).join('\n') || '  (none)';
}

/** The whole command: arguments and `DECKS_DIR` in, the exit code out; `io.writeError` is standard error. */
export async function main(argv: readonly string[], env: Readonly<Record<string, string | undefined>>, io: PlayIo & { readonly writeError: (text: string) => void }): Promise<number> {
  const parsed = parsePlayArgs(argv, String(io.now()));
  const { decks, errors } = await loadDecksDir(env.DECKS_DIR ?? 'decks');
  for (const error of errors) io.writeError(`${formatDeckError(error)}\n`);
  const library = new DeckLibrary(decks);
  if (!parsed.ok) {
    io.writeError(`${parsed.message}\nAvailable decks:\n${listDecks(library)}\n`);
    return 1;
  }
  return play(library, parsed.options, io);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rl = createInterface({ input: process.stdin, terminal: false });
  process.exitCode = await main(process.argv.slice(2), process.env, {
    lines: rl[Symbol.asyncIterator](),
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
    now: () => Date.now(),
    echo: !process.stdin.isTTY,
  });
  rl.close();
}
