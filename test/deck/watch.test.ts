import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Deck } from '../../src/deck/types.ts';
import { watchDecks, type DeckWatcher } from '../../src/deck/watch.ts';

let dir: string;
let watcher: DeckWatcher | undefined;
let lists: Deck[][];
let logs: string[];

/** Deck names and card counts of the latest list given to onDecks. */
function latest(): string[] {
  return (lists.at(-1) ?? []).map((d) => `${d.name}: ${d.cards.length}`);
}

const eventually = { timeout: 5000, interval: 50 };

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'studybot-watch-'));
  lists = [];
  logs = [];
});

afterEach(async () => {
  watcher?.close();
  watcher = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function start(debounceMs = 100): Promise<DeckWatcher> {
  watcher = await watchDecks({ dir, debounceMs, onDecks: (d) => lists.push(d), log: (m) => logs.push(m) });
  return watcher;
}

describe('watching the deck folder', () => {
  it('gives the folder decks at start and logs the problems of broken files', async () => {
    await writeFile(path.join(dir, 'a.md'), '# deck: mlops wk1\nOne -a- -b-.\n');
    await writeFile(path.join(dir, 'b.md'), '# deck: mlops wk2\nNever -closes.\n');
    await start();
    expect(latest()).toEqual(['mlops wk1: 2']);
    expect(logs).toEqual([`${path.join(dir, 'b.md')}:2:7: blank never closes: no closing hyphen after this one`]);
  });

  it('picks up an added file, then a changed one', async () => {
    await start();
    expect(latest()).toEqual([]);
    await writeFile(path.join(dir, 'new.md'), '# deck: bio wk1\nCells -divide-.\n');
    await vi.waitFor(() => expect(latest()).toEqual(['bio wk1: 1']), eventually);
    await writeFile(path.join(dir, 'new.md'), '# deck: bio wk1\nCells -divide-.\nAnd -grow- -fast-.\n');
    await vi.waitFor(() => expect(latest()).toEqual(['bio wk1: 3']), eventually);
    expect(watcher!.decks().map((d) => d.name)).toEqual(['bio wk1']);
  });

  it('keeps the last good version of a file that now has errors and logs them as file:line:column', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, '# deck: mlops wk1\nOne -a-.\n');
    await start();
    await writeFile(file, '# deck: mlops wk1\nOne -a-.\nEmpty 1.-- here.\n');
    await vi.waitFor(() => expect(logs).toContain(`${file}:3:7: empty blank: group 1 has nothing between its hyphens`), eventually);
    expect(logs).toContain(`${file}: keeping the last good version of deck "mlops wk1" until the problems are fixed`);
    expect(watcher!.decks().map((d) => d.cards.length)).toEqual([1]);
    expect(latest()).toEqual(['mlops wk1: 1']);
  });

  it('drops the deck of a removed file and logs the removal', async () => {
    await writeFile(path.join(dir, 'a.md'), '# deck: mlops wk1\nOne -a-.\n');
    await writeFile(path.join(dir, 'b.md'), '# deck: mlops wk2\nTwo -b-.\n');
    await start();
    await unlink(path.join(dir, 'a.md'));
    await vi.waitFor(() => expect(latest()).toEqual(['mlops wk2: 1']), eventually);
    expect(logs).toEqual([`${path.join(dir, 'a.md')}: removed, deck "mlops wk1" is no longer available`]);
  });

  it('ends with the final version after an editor save sequence (emptied, swap file, written to a temporary file and renamed)', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, '# deck: mlops wk1\nOne -a-.\n');
    // A generous quiet time: the steps below must land within it even on a busy machine.
    await start(1000);
    await writeFile(file, '');
    await writeFile(path.join(dir, '.a.md.swp'), 'x');
    await writeFile(path.join(dir, 'a.md.tmp'), '# deck: mlops wk1\nOne -a-.\nTwo -b-.\n');
    await rename(path.join(dir, 'a.md.tmp'), file);
    await vi.waitFor(() => expect(latest()).toEqual(['mlops wk1: 2']), eventually);
    expect(logs).toEqual([]);
  });

  it('refuses a changed file whose deck name another file already uses, keeping its previous deck', async () => {
    await writeFile(path.join(dir, 'a.md'), '# deck: mlops wk1\nOne -a-.\n');
    await writeFile(path.join(dir, 'b.md'), '# deck: mlops wk2\nTwo -b-.\n');
    await start();
    await writeFile(path.join(dir, 'b.md'), '# deck: mlops wk1\nTwo -b-.\n');
    await vi.waitFor(
      () => expect(logs).toContain(`${path.join(dir, 'b.md')}:1:1: deck name "mlops wk1" is already used by ${path.join(dir, 'a.md')}`),
      eventually,
    );
    expect(watcher!.decks().map((d) => d.name)).toEqual(['mlops wk1', 'mlops wk2']);
  });

  it('ignores files that are not decks', async () => {
    await start();
    await writeFile(path.join(dir, 'notes.json'), '{}');
    await writeFile(path.join(dir, 'ok.md'), '# deck: x\nA -b-.\n');
    await vi.waitFor(() => expect(latest()).toEqual(['x: 1']), eventually);
    expect(logs).toEqual([]);
  });
});
