/**
 * `npm run decks:import -- <file> [--name "course week"] [--out decks/] [--basic] [--force]`:
 * converts an Anki package, an Anki plain-text export or a spreadsheet into a deck file, then
 * checks the file exactly as `decks:check` does and lists what was skipped and why.
 * Exit code 0 when the deck was written and reads cleanly, 1 otherwise.
 */
import { mkdir, realpath, stat, writeFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_LIMITS, IMPORT_FORMATS, importDeck, type ImportResult, type Skipped } from '../deck/import/index.ts';
import { loadDeckFiles, loadDecksDir } from '../deck/load.ts';
import { formatCheckReport, type CheckReport } from './decks-check.ts';

const USAGE = 'usage: npm run decks:import -- <file> [--name "course week"] [--out decks/] [--basic] [--force]';

/** Skipped notes listed one by one up to this many; the rest are counted. */
const LISTED = 50;

export interface ImportCommand {
  readonly file: string;
  readonly name?: string;
  /** A folder to write `<deck name>.md` into, or a `.md`/`.txt` file path. */
  readonly out: string;
  readonly basic: boolean;
  readonly force: boolean;
}

/** The command's options, or a usage error. */
export function parseImportArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ImportCommand | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: { name: { type: 'string' }, out: { type: 'string' }, basic: { type: 'boolean' }, force: { type: 'boolean' } },
    });
  } catch (error) {
    return { error: `${error instanceof Error ? error.message : String(error)}\n${USAGE}` };
  }
  const [file, ...extra] = parsed.positionals;
  if (file === undefined || extra.length > 0) return { error: USAGE };
  return {
    file,
    ...(parsed.values.name === undefined ? {} : { name: parsed.values.name }),
    out: parsed.values.out ?? env.DECKS_DIR ?? 'decks',
    basic: parsed.values.basic === true,
    force: parsed.values.force === true,
  };
}

/** `mlops wk9` → `mlops-wk9.md`; characters unsafe in file names become hyphens. */
export function deckFileName(name: string): string {
  const slug = name.replace(/[\s/\\:*?"<>|]+/gu, '-').replace(/^[-.]+|-+$/gu, '');
  return `${slug || 'deck'}.md`;
}

/** Lines about the skipped notes: a count, then each one as `where: why`. Pure. */
export function formatSkipped(skipped: readonly Skipped[]): string[] {
  if (skipped.length === 0) return [];
  const lines = [`skipped ${skipped.length} note${skipped.length === 1 ? '' : 's'}:`];
  for (const s of skipped.slice(0, LISTED)) lines.push(`  ${s.where}: ${s.reason}`);
  if (skipped.length > LISTED) lines.push(`  … and ${skipped.length - LISTED} more`);
  return lines;
}

/** The whole output: the check of the written file, then what was skipped. Pure. */
export function formatImportReport(result: Extract<ImportResult, { ok: true }>, check: CheckReport): CheckReport {
  return { exitCode: check.exitCode, stdout: [...check.stdout, ...formatSkipped(result.skipped)], stderr: check.stderr };
}

function fail(message: string): CheckReport {
  return { exitCode: 1, stdout: [], stderr: [message] };
}

/** Runs the import; every problem is a message, nothing is written unless the conversion succeeded. */
export async function runImport(command: ImportCommand): Promise<CheckReport> {
  let size: number;
  try {
    const info = await stat(command.file);
    if (!info.isFile()) return fail(`${command.file}: not a file`);
    size = info.size;
  } catch {
    return fail(`${command.file}: cannot read the file`);
  }
  if (size > DEFAULT_LIMITS.maxInputBytes) return fail(`${command.file}: file too large, at most ${DEFAULT_LIMITS.maxInputBytes / (1024 * 1024)} MB`);
  const bytes = new Uint8Array(await readFile(command.file));
  const result = await importDeck(bytes, command.file, {
    basic: command.basic,
    ...(command.name === undefined ? {} : { name: command.name }),
  });
  if (!result.ok) return fail(`${command.file}: ${result.error}\nformats: ${IMPORT_FORMATS}`);

  const toFile = /\.(md|txt)$/iu.test(command.out);
  const dir = toFile ? path.dirname(command.out) : command.out;
  const target = toFile ? command.out : path.join(dir, deckFileName(result.name));
  if (!command.force && (await stat(target).then(() => true, () => false))) {
    return fail(`${target} already exists: add --force to replace it, or choose another --name or --out`);
  }
  const clash = (await loadDecksDir(dir)).decks.find((d) => d.name === result.name && path.resolve(d.file) !== path.resolve(target));
  if (clash) return fail(`deck name "${result.name}" is already used by ${clash.file}: choose another with --name`);
  await mkdir(dir, { recursive: true });
  await writeFile(target, result.text);
  return formatImportReport(result, formatCheckReport(await loadDeckFiles([target]), [target]));
}

export async function main(args: readonly string[], env: Readonly<Record<string, string | undefined>>): Promise<number> {
  const command = parseImportArgs(args, env);
  const report = 'error' in command ? fail(command.error) : await runImport(command);
  for (const line of report.stdout) process.stdout.write(`${line}\n`);
  for (const line of report.stderr) process.stderr.write(`${line}\n`);
  return report.exitCode;
}

const script = process.argv[1];
if (script !== undefined && fileURLToPath(import.meta.url) === (await realpath(script).catch(() => script))) {
  process.exitCode = await main(process.argv.slice(2), process.env);
}
