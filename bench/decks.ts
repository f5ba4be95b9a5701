/**
 * Deck loading at scale, run with `npx tsx bench/decks.ts [notes …]` (default 10000 100000 1000000).
 *
 * For each size, writes a folder of deck files made from the seed deck's notes (10,000 notes
 * per file, a section every 100 notes, each note made unique) and loads it with
 * `loadDecksDir`, the code the bot runs at start-up, in a fresh Node process. Printed per size:
 * wall and CPU time, the heap the loaded decks hold after garbage collection, and, as the
 * anchor measured in the same process on the same files, the time to read them and split them
 * into lines with the blank regex. A deck makes its cards when they are first read (loading
 * checks every line, so errors and warnings are all known at load): the CPU time to make every
 * card, and the heap once every card is made and its answers, other blanks and parts were read,
 * are printed after.
 *
 * Targets: 100,000 notes in at most 1 s of CPU and 100 MB of heap, loaded and with every card
 * made; time and heap per note at 1,000,000 notes within 1.5× of those at 100,000 (linear).
 * CPU time is checked rather than wall time, which on a shared machine mostly measures the other
 * processes. Exits with status 1 when a target is missed.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadDecksDir } from '../src/deck/load.ts';

const NOTES_PER_FILE = 10_000;
const NOTES_PER_SECTION = 100;
const TARGET_NOTES = 100_000;
const TARGET_MS = 1000;
const TARGET_HEAP_MB = 100;
const LINEAR_SLACK = 1.5;
const SEED_DECK = 'decks/mlops-wk9.md';
/** The anchor's blank: an optional group number, a hyphen, then anything up to the next hyphen that ends a word. */
const BLANK_RE = /(?:\d+\.)?-(?:\\-|[^-])+?-(?=$|[\s.,;:!?)\]}"'”’»…/])/gu;

interface Measure {
  readonly notes: number;
  readonly cards: number;
  readonly errors: number;
  readonly loadMs: number;
  readonly loadCpuMs: number;
  readonly heapMb: number;
  /** CPU time to make every card (decks make their cards when first used, not at load). */
  readonly cardsCpuMs: number;
  /** Heap the decks hold once every card is made and each card's answers, other blanks and parts were read once. */
  readonly cardsHeapMb: number;
  readonly anchorMs: number;
  readonly anchorBlanks: number;
}

const mb = (bytes: number): number => bytes / 1024 / 1024;

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/**
 * The anchor: read the files and split them into lines with the blank regex. In a function of its
 * own, so that none of its strings is still referenced (by a suspended frame) when the heap is measured.
 */
async function anchor(files: readonly string[]): Promise<{ anchorMs: number; anchorBlanks: number }> {
  const start = performance.now();
  let anchorBlanks = 0;
  for (const file of files) {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(await readFile(file));
    for (const line of text.split(/\r\n|\r|\n/u)) for (const _ of line.matchAll(BLANK_RE)) anchorBlanks++;
  }
  const anchorMs = performance.now() - start;
  // RegExp's legacy statics (`RegExp.input`) keep the last string a regex read alive: point them at a short one.
  /x/u.exec('x');
  return { anchorMs, anchorBlanks };
}

/** Child process: loads one folder and prints its measures as JSON. */
async function measure(dir: string): Promise<Measure> {
  await loadDecksDir(path.dirname(SEED_DECK)); // warm-up of the code paths
  const files = (await readdir(dir)).sort().map((f) => path.join(dir, f));

  const { anchorMs, anchorBlanks } = await anchor(files);

  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = await loadDecksDir(dir);
  const loadMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  gc();
  const heapMb = mb(process.memoryUsage().heapUsed - heapBefore);

  // First use: every deck makes its cards; then every card's arrays are read once.
  const cardsCpuBefore = process.cpuUsage();
  const cards = result.decks.reduce((n, d) => n + d.cards.length, 0);
  const cardsCpu = process.cpuUsage(cardsCpuBefore);
  let read = 0;
  for (const deck of result.decks) for (const card of deck.cards) read += card.answers.length + card.otherBlanks.length + card.parts.length;
  if (read === 0) throw new Error('no card was read');
  gc();
  const cardsHeapMb = mb(process.memoryUsage().heapUsed - heapBefore);
  return {
    notes: result.decks.reduce((n, d) => n + d.notes.length, 0),
    cards,
    errors: result.errors.length,
    loadMs,
    loadCpuMs: (cpu.user + cpu.system) / 1000,
    heapMb,
    cardsCpuMs: (cardsCpu.user + cardsCpu.system) / 1000,
    cardsHeapMb,
    anchorMs,
    anchorBlanks,
  };
}

/** Writes `notes` notes made from the seed deck's into files of NOTES_PER_FILE notes. */
async function writeDecks(dir: string, notes: number): Promise<void> {
  const seed = (await readFile(SEED_DECK, 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  for (let file = 0; file * NOTES_PER_FILE < notes; file++) {
    const lines = [`# deck: bench part${String(file).padStart(4, '0')}`, ''];
    const end = Math.min(notes, (file + 1) * NOTES_PER_FILE);
    for (let i = file * NOTES_PER_FILE; i < end; i++) {
      if (i % NOTES_PER_SECTION === 0) lines.push(`## Section ${i / NOTES_PER_SECTION}`, '');
      lines.push(`${seed[i % seed.length]} Note ${i}.`, '');
    }
    await writeFile(path.join(dir, `part${String(file).padStart(4, '0')}.md`), lines.join('\n'));
  }
}

async function runSize(notes: number): Promise<Measure> {
  const dir = await mkdtemp(path.join(tmpdir(), 'studybot-bench-decks-'));
  try {
    await writeDecks(dir, notes);
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', fileURLToPath(import.meta.url), '--child', dir],
      { maxBuffer: 1 << 20 },
    );
    return JSON.parse(stdout) as Measure;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(args: readonly string[]): Promise<number> {
  const sizes = args.length > 0 ? args.map(Number) : [10_000, 100_000, 1_000_000];
  console.log('Deck loading (loadDecksDir, fresh process per size); anchor: read the same files and split them into lines with the blank regex.');
  console.log('Then the cards, made when a deck is first used: the CPU time to make them all, and the heap with every card made and read.');
  console.log('     notes      cards   load ms    cpu ms  anchor ms  load/anchor   heap MB  heap bytes/note  cards cpu ms  heap with cards MB  bytes/note');
  const measures: Measure[] = [];
  for (const size of sizes) {
    const m = await runSize(size);
    measures.push(m);
    if (m.errors > 0 || m.notes !== size) console.log(`  (${m.errors} errors, ${m.notes} notes loaded of ${size})`);
    console.log(
      [
        m.notes.toLocaleString('en').padStart(10),
        m.cards.toLocaleString('en').padStart(10),
        m.loadMs.toFixed(0).padStart(9),
        m.loadCpuMs.toFixed(0).padStart(9),
        m.anchorMs.toFixed(0).padStart(10),
        `${(m.loadMs / m.anchorMs).toFixed(1)}×`.padStart(12),
        m.heapMb.toFixed(1).padStart(9),
        ((m.heapMb * 1024 * 1024) / m.notes).toFixed(0).padStart(16),
        m.cardsCpuMs.toFixed(0).padStart(13),
        m.cardsHeapMb.toFixed(1).padStart(19),
        ((m.cardsHeapMb * 1024 * 1024) / m.notes).toFixed(0).padStart(11),
      ].join(' '),
    );
  }

  let ok = true;
  const check = (pass: boolean, text: string): void => {
    console.log(`${pass ? 'PASS' : 'FAIL'} ${text}`);
    ok &&= pass;
  };
  const target = measures.find((m) => m.notes === TARGET_NOTES);
  if (target) {
    check(target.loadCpuMs <= TARGET_MS, `${TARGET_NOTES.toLocaleString('en')} notes load in ${target.loadCpuMs.toFixed(0)} ms of CPU (target ≤ ${TARGET_MS} ms; ${target.loadMs.toFixed(0)} ms wall, anchor ${target.anchorMs.toFixed(0)} ms wall)`);
    check(target.heapMb <= TARGET_HEAP_MB, `${TARGET_NOTES.toLocaleString('en')} notes hold ${target.heapMb.toFixed(1)} MB of heap (target ≤ ${TARGET_HEAP_MB} MB)`);
    check(target.cardsHeapMb <= TARGET_HEAP_MB, `${TARGET_NOTES.toLocaleString('en')} notes hold ${target.cardsHeapMb.toFixed(1)} MB of heap with every card made and read (target ≤ ${TARGET_HEAP_MB} MB); making the cards took ${target.cardsCpuMs.toFixed(0)} ms of CPU`);
  }
  const largest = measures[measures.length - 1];
  if (target && largest && largest.notes > target.notes) {
    const timeGrowth = largest.loadCpuMs / largest.notes / (target.loadCpuMs / target.notes);
    const heapGrowth = largest.heapMb / largest.notes / (target.heapMb / target.notes);
    const withCards = (m: Measure): number => (m.loadCpuMs + m.cardsCpuMs) / m.notes;
    const cardsGrowth = withCards(largest) / withCards(target);
    const cardsHeapGrowth = largest.cardsHeapMb / largest.notes / (target.cardsHeapMb / target.notes);
    check(timeGrowth <= LINEAR_SLACK, `time per note at ${largest.notes.toLocaleString('en')} notes is ${timeGrowth.toFixed(2)}× that at ${target.notes.toLocaleString('en')} (linear: ≤ ${LINEAR_SLACK}×)`);
    check(heapGrowth <= LINEAR_SLACK, `heap per note at ${largest.notes.toLocaleString('en')} notes is ${heapGrowth.toFixed(2)}× that at ${target.notes.toLocaleString('en')} (linear: ≤ ${LINEAR_SLACK}×)`);
    check(cardsGrowth <= LINEAR_SLACK, `time per note to load and make every card at ${largest.notes.toLocaleString('en')} notes is ${cardsGrowth.toFixed(2)}× that at ${target.notes.toLocaleString('en')} (linear: ≤ ${LINEAR_SLACK}×)`);
    check(cardsHeapGrowth <= LINEAR_SLACK, `heap per note with every card made at ${largest.notes.toLocaleString('en')} notes is ${cardsHeapGrowth.toFixed(2)}× that at ${target.notes.toLocaleString('en')} (linear: ≤ ${LINEAR_SLACK}×)`);
  }
  return ok ? 0 : 1;
}

const args = process.argv.slice(2);
if (args[0] === '--child') {
  process.stdout.write(JSON.stringify(await measure(args[1] ?? '')));
} else {
  process.exitCode = await main(args);
}
