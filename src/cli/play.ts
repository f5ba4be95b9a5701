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
import { cardCount, DeckLibrary } from '../deck/library.ts';
import { loadDecksDir } from '../deck/load.ts';
import { formatDeckError } from '../deck/types.ts';
import { seededRandom } from '../engine/random.ts';
import { chooseRoundCards, fewerNotesNote } from '../engine/select.ts';
import { notQuite } from '../engine/judge.ts';
import { advance, currentQuestion, hint, reply, skip, startRound, stop, type Question, type RoundState } from '../engine/round.ts';
import { spacedHint } from '../engine/hint.ts';
import { livePoints } from '../engine/scoring.ts';

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
  if (!pool) {
    io.write(`No deck "${options.query}". Available decks:\n${listDecks(library)}\n`);
    return 1;
  }
  if (pool.length === 0) {
    const sections = library.sections(options.query) ?? [];
    const list = sections.length ? `Sections of ${options.query}:\n${sections.map((title) => `  ${title}`).join('\n')}` : `${options.query} has no sections.`;
    io.write(`No section "${options.section ?? ''}" in "${options.query}". ${list}\n`);
    return 1;
  }
  const cards = chooseRoundCards(pool, options.questions, seededRandom(options.seed));
  const fewer = fewerNotesNote(options.section ? `${options.query} · ${options.section}` : options.query, options.questions, cards.length);
  if (fewer) io.write(`${fewer}\n`);
  // Whole seconds since the start: a reply within the question's first second is instant
  // (piped input always is), so the same replies give the same points.
  const start = io.now();
  const now = (): number => start + Math.floor((io.now() - start) / 1000) * 1000;
  let state: RoundState = startRound(cards, { seconds: SECONDS, startedBy: 'you' }, now());
  io.write(`${PLAY_HELP}\n`);
  while (!state.finished) {
    const question = currentQuestion(state);
    if (!question) {
      state = advance(state, now());
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
        const result = hint(state, now());
        state = result.state;
        const hinted = currentQuestion(state);
        io.write(result.outcome.type === 'hint' && hinted ? `${hintLine(hinted, now())}\n` : 'No more hints.\n');
        continue;
      }
      const result = reply(state, 'you', text, now());
      state = result.state;
      if (result.outcome.type === 'ignored' && result.outcome.why === 'not-an-answer') {
        io.write('That does not look like an answer: type the missing words, `?` for a hint, an empty line to skip.\n');
        continue;
      }
      if (result.outcome.type === 'correct') {
        const { points } = result.outcome;
        io.write(`Correct! ${card.answers.join(' / ')} (+${points.total} point${points.total === 1 ? '' : 's'}${points.speedBonus ? `: ${points.base} + ${points.speedBonus} for speed` : ''})\n`);
      } else {
        const why = result.outcome.type === 'wrong' ? notQuite(result.outcome.verdict) : 'Too late.';
        io.write(`${why} Answer: ${card.answers.join(' / ')}\n`);
        state = skip(state).state;
      }
      break;
    }
    state = advance(state, now());
  }
  io.write(`\n${scoreLine(state)}\n`);
  return 0;
}

/** Seconds a question is worth a speed bonus for in the terminal. */
const SECONDS = 60;

export const PLAY_HELP = 'Type the answer and Enter. ? for a hint, an empty line to skip, /quit (or Ctrl+C) to stop.';

/** `Hint: v _ _ _ _ (5 letters) · now worth 11 points (7 + 4 for speed)`: what a right answer earns at `now`. */
export function hintLine(question: Question, now: number): string {
  const masks = question.card.answers.map((answer) => {
    const { mask, letters } = spacedHint(answer, question.hints);
    return `${mask} (${letters})`;
  });
  const points = livePoints(question.hints, now - question.openedAt, question.deadline - question.openedAt);
  const speed = points.speedBonus ? ` (${points.base} + ${points.speedBonus} for speed)` : '';
  return `Hint: ${masks.join(' / ')} · now worth ${points.total} point${points.total === 1 ? '' : 's'}${speed}`;
}

/** The final score; a question stopped on (with /quit or Ctrl+C) is not counted. */
export function scoreLine(state: RoundState): string {
  const score = state.scores['you'] ?? { points: 0, correct: 0 };
  const asked = state.questions.filter((q) => q.status !== 'stopped').length;
  return `Score: ${score.correct} of ${asked} correct, ${score.points} point${score.points === 1 ? '' : 's'}`;
}

export function listDecks(library: DeckLibrary): string {
  return library.decks.map((deck) => `  ${deck.name} (${cardCount(deck)} cards)`).join('\n') || '  (none)';
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
  // Ctrl+C ends the input: the round stops as with /quit and the score is printed.
  process.once('SIGINT', () => rl.close());
  process.exitCode = await main(process.argv.slice(2), process.env, {
    lines: rl[Symbol.asyncIterator](),
    write: (text) => process.stdout.write(text),
    writeError: (text) => process.stderr.write(text),
    now: () => Date.now(),
    echo: !process.stdin.isTTY,
  });
  rl.close();
}
