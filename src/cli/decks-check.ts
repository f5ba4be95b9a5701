/**
 * `npm run decks:check [--strict] [paths…]`: reads deck files and folders and reports every
 * problem as `file:line:column: message`, and what is probably a mistake as
 * `file:line:column: warning: message`. Without paths it checks `DECKS_DIR` (default `decks`).
 * Exit code 0 when every deck reads without errors (warnings allowed), 1 otherwise;
 * `--strict` counts warnings as errors.
 */
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { cardCount } from '../deck/library.ts';
import { loadDeckFiles, type LoadResult } from '../deck/load.ts';
import { formatDeckError, formatDeckWarning, type Deck } from '../deck/types.ts';

export interface CheckReport {
  readonly exitCode: 0 | 1;
  /** Lines for standard output: one per deck that loaded. */
  readonly stdout: string[];
  /** Lines for standard error: one per problem, then one per warning. */
  readonly stderr: string[];
}

export interface CheckOptions {
  /** Warnings count as errors. */
  readonly strict?: boolean;
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `mlops wk9 (decks/mlops-wk9.md): 61 notes, 186 cards, 6 sections`: the `## ` sections (notes before the first one are not a section). */
export function formatDeckSummary(deck: Deck): string {
  return `${deck.name} (${deck.file}): ${count(deck.notes.length, 'note')}, ${count(cardCount(deck), 'card')}, ${count(deck.sections.filter((s) => s.title !== '').length, 'section')}`;
}

/** Turns a load result into what the command prints and its exit code. Pure. */
export function formatCheckReport(
  result: Pick<LoadResult, 'decks' | 'errors'> & Partial<Pick<LoadResult, 'warnings'>>,
  paths: readonly string[],
  options: CheckOptions = {},
): CheckReport {
  const warnings = result.warnings ?? [];
  const strict = options.strict === true;
  const stdout = result.decks.map(formatDeckSummary);
  const stderr = [...result.errors.map(formatDeckError), ...warnings.map(strict ? formatDeckError : formatDeckWarning)];
  const problems = result.errors.length + (strict ? warnings.length : 0);
  if (problems > 0) {
    stderr.push(`${count(problems, 'problem')} found${!strict && warnings.length > 0 ? `, and ${count(warnings.length, 'warning')}` : ''}`);
    return { exitCode: 1, stdout, stderr };
  }
  if (result.decks.length === 0) {
    stderr.push(`no deck files found in ${paths.join(', ')}`);
    return { exitCode: 1, stdout, stderr };
  }
  if (warnings.length > 0) stderr.push(`${count(warnings.length, 'warning')} (--strict counts them as errors)`);
  return { exitCode: 0, stdout, stderr };
}

/** The paths to check: the arguments, or `DECKS_DIR` (default `decks`). */
export function checkPaths(args: readonly string[], env: Readonly<Record<string, string | undefined>>): string[] {
  return args.length > 0 ? [...args] : [env.DECKS_DIR ?? 'decks'];
}

/** Splits the command line into the `--strict` flag and the paths. */
export function parseCheckArgs(args: readonly string[]): { strict: boolean; args: string[] } {
  return { strict: args.includes('--strict'), args: args.filter((a) => a !== '--strict') };
}

/** The whole command but the printing: arguments and `DECKS_DIR` in, the report out. */
export async function check(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<CheckReport> {
  const { strict, args } = parseCheckArgs(argv);
  const paths = checkPaths(args, env);
  return formatCheckReport(await loadDeckFiles(paths), paths, { strict });
}

export async function main(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const report = await check(args, env);
  for (const line of report.stdout) process.stdout.write(`${line}\n`);
  for (const line of report.stderr) process.stderr.write(`${line}\n`);
  return report.exitCode;
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
