/**
 * /deck end to end: a server uploads its own decks (attachments served by the fake Discord on
 * loopback, downloaded by the bot), uses them everywhere decks are used, and other servers never
 * see them. Bad uploads get one clear message and store nothing.
 */
import { readFile } from 'node:fs/promises';
import { strToU8, zipSync } from 'fflate';
import type { APIEmbed, APIMessage } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { parseDeck } from '../../src/deck/parse.ts';
import { serverDecksKey } from '../../src/storage/keys.ts';
import { apkg, clozeNotes, collectionBytes } from '../deck/import/anki-fixtures.ts';
import { makeUser } from '../support/discord/index.ts';
import { ana, classGuild, cleo, closeChecked, eventually, SEED_DECK_FILE, startHarness, teacher, type Harness } from './harness.ts';

const BIO = `# deck: bio cells

## Organelles
The -mitochondria- is the powerhouse of the cell.
The 1.-nucleus- holds the 1.-DNA- of the cell.

## Membranes
The -cell membrane- controls what enters the cell.
`;

const classA = classGuild('Class A');
const classB = classGuild('Class B');

let h: Harness | undefined;
afterEach(async () => {
  const harness = h;
  h = undefined;
  if (harness) await closeChecked(harness);
});

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  h = await startHarness({ guilds: [classA, classB], ...options });
  return h;
}

type Reply = { content?: string; embeds?: APIEmbed[]; flags?: number; components?: unknown[]; attachments?: unknown[] };

/** `/deck add` with a file in a server; the bot's (final) answer. */
async function add(harness: Harness, filename: string, bytes: Uint8Array | string, options: { replace?: boolean; guildId?: string; user?: typeof teacher } = {}): Promise<Reply> {
  const file = harness.fake.attachment({ filename, bytes });
  const command = await harness.fake.slashCommand({
    name: 'deck',
    subcommand: 'add',
    guildId: options.guildId ?? classA.id,
    user: options.user ?? teacher,
    options: { file, ...(options.replace === undefined ? {} : { replace: options.replace }) },
  });
  const reply = (await command.waitForReply({ timeout: 15_000 })) as Reply;
  // A deferred answer is ephemeral when its deferral was.
  return { ...reply, flags: Number((await command.response()).data?.['flags'] ?? reply.flags) };
}

/** The decks a server uploaded, as stored (read through the harness). */
async function stored(harness: Harness, guildId = classA.id): Promise<unknown> {
  return harness.stored.get(serverDecksKey(guildId));
}

async function decksText(harness: Harness, guildId: string): Promise<string> {
  const reply = (await (await harness.fake.slashCommand({ name: 'decks', user: ana, guildId })).waitForReply()) as unknown as APIMessage;
  return (reply.embeds[0] as APIEmbed).description ?? '';
}

async function suggested(harness: Harness, guildId: string, command: string, typed: string, extra: Record<string, string> = {}): Promise<string[]> {
  const choices = await (await harness.fake.autocomplete({ name: command, guildId, user: teacher, options: { ...extra, deck: typed }, focused: 'deck' })).choices();
  return choices.map((c) => String(c.value));
}

/** `/quiz` in a server's quiz channel: the bot's answer (the question embed, or a refusal). */
async function quiz(harness: Harness, guildId: string, deck: string): Promise<Reply> {
  const guild = guildId === classA.id ? classA : classB;
  const command = await harness.fake.slashCommand({ name: 'quiz', guildId, channelId: guild.channels[1]!.id, user: teacher, options: { deck, questions: 1, pause: 0 } });
  return (await command.waitForReply()) as Reply;
}

describe('/deck add', () => {
  it('stores a good deck for its server only: counts in the reply, /quiz and /decks there, nothing in another server', async () => {
    const harness = await start();
    const reply = await add(harness, 'bio.md', BIO);
    expect(reply.flags).toBe(64);
    expect(reply.content).toContain('Added **bio cells** for this server: 3 notes, 3 cards, 2 sections.');

    // Works in that server: autocomplete, /quiz, /decks marks it as the server's own.
    expect(await suggested(harness, classA.id, 'quiz', 'bio')).toEqual(['bio', 'bio cells']);
    const started = await quiz(harness, classA.id, 'bio cells');
    expect(started.content).toContain('**Quiz: bio cells**, 1 question');
    const question = await harness.fake.waitForRequest((r) => r.method === 'POST' && r.path === `/channels/${classA.channels[1]!.id}/messages` && JSON.stringify(r.body).includes('Question 1 of 1'));
    expect(JSON.stringify(question.body)).toContain('bio cells');
    expect(await decksText(harness, classA.id)).toContain('**bio cells** (uploaded here): 3 cards');
    expect(await decksText(harness, classA.id)).toContain('**mlops wk9**: ');
    expect(await decksText(harness, classA.id)).not.toContain('**mlops wk9** (uploaded here)');

    // Another server never sees it.
    expect(await suggested(harness, classB.id, 'quiz', 'bio')).toEqual([]);
    expect(await suggested(harness, classB.id, 'practice', 'bio')).toEqual([]);
    const refused = await quiz(harness, classB.id, 'bio cells');
    expect(refused.flags).toBe(64);
    expect(refused.content).toContain('There is no deck or course called "bio cells"');
    expect(await decksText(harness, classB.id)).not.toContain('bio cells');
    expect(await stored(harness, classB.id)).toBeUndefined();
  });
});

/** The notes of the seed deck as an Anki package, under another Anki deck name (the folder has `mlops wk9`). */
async function seedApkg(): Promise<Uint8Array> {
  const { deck } = parseDeck(await readFile(SEED_DECK_FILE, 'utf8'), 'mlops-wk9.md');
  const notes = clozeNotes(deck!).map((n) => ({ fields: [n.text, ''], deck: n.deck.replace(/^mlops wk9/u, 'anki wk9') }));
  return apkg(await collectionBytes(notes));
}

const SPREADSHEET = 'sentence,answer,section\nWater is made of hydrogen and oxygen.,hydrogen,Water\nSalt is sodium chloride.,sodium chloride,Salts\n';

describe('/deck add: checks and names', () => {
  it('lists problems as line:column: why and stores nothing', async () => {
    const harness = await start();
    const reply = await add(harness, 'chem.md', '# deck: chem basics\nWater is -H2O-.\nNever -closes.\nAlso -never.\n');
    expect(reply.flags).toBe(64);
    expect(reply.content).toBe('chem.md was not added: 2 problems.\n3:7: blank never closes: no closing hyphen after this one\n4:6: blank never closes: no closing hyphen after this one');
    expect(await stored(harness)).toBeUndefined();
    expect(await suggested(harness, classA.id, 'quiz', 'chem')).toEqual([]);
  });

  it('refuses the name of a folder deck, and a server deck of the same name unless replace', async () => {
    const harness = await start();
    const folderClash = await add(harness, 'mine.md', '# deck: mlops wk9\nMine -only-.\n', { replace: true });
    expect(folderClash.content).toContain('A deck called "mlops wk9" comes with the bot and cannot be replaced');

    expect((await add(harness, 'bio.md', BIO)).content).toContain('Added **bio cells**');
    const clash = await add(harness, 'bio-v2.md', '# deck: bio cells\nThe -ribosome- makes proteins.\n');
    expect(clash.content).toContain('This server already has a deck called "bio cells": set `replace`');
    expect(await decksText(harness, classA.id)).toContain('**bio cells** (uploaded here): 3 cards');

    const replaced = await add(harness, 'bio-v2.md', '# deck: bio cells\nThe -ribosome- makes proteins.\n', { replace: true });
    expect(replaced.content).toContain('Replaced **bio cells** for this server: 1 note, 1 card, 0 sections.');
    expect(await decksText(harness, classA.id)).toContain('**bio cells** (uploaded here): 1 cards');
    expect(await stored(harness)).toEqual([{ fileName: 'bio-v2.md', source: '# deck: bio cells\nThe -ribosome- makes proteins.\n' }]);
  });

  it('is for members with Manage Server', async () => {
    const harness = await start();
    const reply = await add(harness, 'bio.md', BIO, { user: ana });
    expect(reply.content).toBe('Only members with Manage Server can change the decks of this server.');
    expect(harness.fake.downloads).toEqual([]);
    expect(await stored(harness)).toBeUndefined();
  });

  it('converts an Anki package, an Anki text export and a spreadsheet', async () => {
    const harness = await start();
    const fromApkg = await add(harness, 'anki-wk9.apkg', await seedApkg());
    expect(fromApkg.content).toContain('Added **anki wk9** for this server: 61 notes, 186 cards, ');
    expect(fromApkg.content).toContain('Converted from an Anki package.');

    const text = '#separator:tab\n#html:true\n#notetype column:1\n#deck column:2\nCloze\tgenetics\tThe {{c1::gene}} is a unit of heredity.\nBasic\tgenetics\tfront\tback\n';
    const fromText = await add(harness, 'genetics.txt', text);
    expect(fromText.content).toContain('Added **genetics** for this server: 1 note, 1 card, 0 sections.');
    expect(fromText.content).toContain('Converted from an Anki text export; 1 left out:');

    const fromCsv = await add(harness, 'chem basics.csv', SPREADSHEET);
    expect(fromCsv.content).toContain('Added **chem basics** for this server: 2 notes, 2 cards, 2 sections.');
    expect(fromCsv.content).toContain('Converted from a spreadsheet.');

    expect(await suggested(harness, classA.id, 'quiz', 'anki')).toEqual(['anki', 'anki wk9']);
    const text2 = await decksText(harness, classA.id);
    expect(text2).toContain('**anki wk9** (uploaded here): 186 cards');
    expect(text2).toContain('**chem basics** (uploaded here): 2 cards');
    // What is stored is the converted deck file, handed back by /deck show.
    const show = await harness.fake.slashCommand({ name: 'deck', subcommand: 'show', guildId: classA.id, user: teacher, options: { deck: 'chem basics' } });
    const callback = await show.callback();
    expect(callback.files.map((f) => f.filename)).toEqual(['chem-basics.md']);
    expect(parseDeck(callback.files[0]!.text, 'x.md').deck?.cards.map((c) => c.answers)).toEqual([['hydrogen'], ['sodium chloride']]);
  });
});

describe('/deck add: bad uploads', () => {
  it('refuses a file over 1 MB from the size Discord gives, before downloading it', async () => {
    const harness = await start();
    const big = `# deck: big\n${'A -b-.\n'.repeat(160_000)}`;
    const reply = await add(harness, 'big.md', big);
    expect(reply.flags).toBe(64);
    expect(reply.content).toBe('big.md was not added: it is 1.1 MB, and an upload may be 1 MB at most. Split it into several decks.');
    expect(harness.fake.downloads).toEqual([]);
    expect(await stored(harness)).toBeUndefined();
  });

  it.each([
    ['binary data named .md', 'notes.md', () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0xff, 0xfe]), 'notes.md was not added: it is not a text file (not UTF-8 text): upload the deck as UTF-8 text.'],
    ['UTF-8 with NUL bytes', 'notes.txt', () => strToU8('# deck: x\u0000\u0000\u0000\nA -b-.\n'), 'notes.txt was not added: it is not a text file: it holds binary data.'],
    ['a deck of 100,000 lines', 'long.md', () => strToU8(`# deck: long\n${'A -b-.\n'.repeat(100_000)}`), 'long.md was not added: it has more than 50,000 lines: split it into smaller decks.'],
    ['a spreadsheet of 100,000 rows', 'long.csv', () => strToU8(`sentence,answer\n${'A b.,b\n'.repeat(100_000)}`), 'long.csv was not added: too many lines: more than 20,000; split the file into smaller decks.'],
    ['a zip bomb .apkg', 'bomb.apkg', () => zipSync({ 'collection.anki2': new Uint8Array(40 * 1024 * 1024) }, { level: 9 }), 'bomb.apkg was not added: the collection inside the package is larger than 32 MB uncompressed; export a smaller deck.'],
    ['a text file named .apkg', 'notes.apkg', () => strToU8('hello'), 'notes.apkg was not added: not an Anki package: an .apkg file is a zip archive, and this is not one.'],
    ['a damaged .apkg', 'cut.apkg', () => zipSync({ 'collection.anki2': strToU8('x'.repeat(5000)) }).subarray(0, 60), 'cut.apkg was not added: not a readable Anki package: the zip archive is damaged'],
    ['an .apkg whose collection is not SQLite', 'fake.apkg', () => zipSync({ 'collection.anki2': strToU8('not a database at all'.repeat(50)) }), 'fake.apkg was not added: not a readable Anki package: its collection.anki2 is not an Anki collection'],
    ['a file of another kind', 'slides.pdf', () => strToU8('%PDF-1.4'), 'slides.pdf was not added: upload a deck file (.md or .txt), an Anki package (.apkg), an Anki "Notes in Plain Text" export (.txt) or a spreadsheet (.csv, .tsv).'],
  ])('refuses %s with one message, stores nothing and keeps answering', async (_what, filename, bytes, message) => {
    const harness = await start();
    const reply = await add(harness, filename, bytes());
    expect(reply.flags).toBe(64);
    expect(reply.content?.startsWith(message)).toBe(true);
    expect(reply.content?.split('\n')).toHaveLength(1);
    expect(await stored(harness)).toBeUndefined();
    expect(await decksText(harness, classA.id)).toContain('**mlops wk9**: ');
  });

  it('refuses a 51st deck and more than 20,000 cards, with the limits in the message', async () => {
    const harness = await start();
    for (let i = 0; i < 50; i++) expect((await add(harness, `d${i}.md`, `# deck: d ${i}\nX -y-.\n`)).content).toContain(`Added **d ${i}**`);
    expect((await add(harness, 'huge.md', `# deck: huge\n${'A -b-.\n'.repeat(19_999)}`, { guildId: classB.id })).content).toContain('Added **huge** for this server: 19,999 notes, 19,999 cards');

    const tooMany = await add(harness, 'one-more.md', '# deck: one more\nX -y-.\n');
    expect(tooMany.content).toBe('This server has 50 decks, the most it can have: remove one with `/deck remove` first.');
    expect(await stored(harness)).toHaveLength(50);

    const tooBig = await add(harness, 'two.md', '# deck: two cards\nA -b-.\nC -d-.\n', { guildId: classB.id });
    expect(tooBig.content).toBe("With this deck the server's decks would hold 20,001 cards; the limit is 20,000. Remove a deck or upload a smaller one.");
    expect(await stored(harness, classB.id)).toHaveLength(1);
    // A deck that fits is taken.
    expect((await add(harness, 'one.md', '# deck: one card\nA -b-.\n', { guildId: classB.id })).content).toContain('Added **one card**');
  });
});

describe('/deck remove and /deck show', () => {
  it('show gives back the file as uploaded; remove asks first, and only the asker confirms', async () => {
    const harness = await start();
    await add(harness, 'bio.md', BIO);

    const show = await harness.fake.slashCommand({ name: 'deck', subcommand: 'show', guildId: classA.id, user: teacher, options: { deck: 'Bio Cells' } });
    const shown = await show.callback();
    expect((shown.body as { data: Reply }).data.content).toContain('**bio cells**: 3 notes, 3 cards, 2 sections.');
    expect((shown.body as { data: Reply }).data.flags).toBe(64);
    expect(shown.files.map((f) => [f.filename, f.text])).toEqual([['bio.md', BIO]]);
    expect(await suggested(harness, classA.id, 'deck', 'b', {})).toEqual(['bio cells']);
    // Folder decks are not the server's to remove.
    const notOwn = await (await harness.fake.slashCommand({ name: 'deck', subcommand: 'remove', guildId: classA.id, user: teacher, options: { deck: 'mlops wk9' } })).waitForReply();
    expect(notOwn.content).toBe('This server has no uploaded deck called "mlops wk9". Its uploaded decks: `bio cells`.');

    const ask = await harness.fake.slashCommand({ name: 'deck', subcommand: 'remove', guildId: classA.id, user: teacher, options: { deck: 'bio cells' } });
    const question = (await ask.waitForReply()) as Reply;
    expect(question.content).toContain('Remove **bio cells** (3 cards) from this server?');
    const buttons = (question.components?.[0] as { components: { custom_id: string; label: string }[] }).components;
    const removeId = buttons.find((b) => b.label === 'Remove bio cells')!.custom_id;
    const cancelId = buttons.find((b) => b.label === 'Cancel')!.custom_id;

    const other = await harness.fake.button({ message: ask.original()!.id, customId: removeId, user: makeUser({ username: 'mod' }), guildId: classA.id, member: { permissions: ['ManageGuild', 'ViewChannel', 'SendMessages'] } });
    expect(((await other.waitForReply()) as Reply).content).toBe('Only the member who asked to remove the deck can confirm it.');
    expect(await stored(harness)).toHaveLength(1);

    const confirm = await harness.fake.button({ message: ask.original()!.id, customId: removeId, user: teacher, guildId: classA.id });
    const done = await confirm.response();
    expect(done.type).toBe(7);
    expect(done.data?.['content']).toBe('Removed **bio cells** from this server.');
    expect(done.data?.['components']).toEqual([]);
    expect(await stored(harness)).toBeUndefined();
    expect((await quiz(harness, classA.id, 'bio cells')).content).toContain('There is no deck or course called "bio cells"');
    // A second press finds nothing to do.
    const again = await harness.fake.button({ message: ask.original()!.id, customId: cancelId, user: teacher, guildId: classA.id });
    expect((await again.response()).data?.['content']).toBe('This confirmation has expired. Run /deck remove again.');
  });

  it('a confirmation can be cancelled, and expires after 5 minutes', async () => {
    const harness = await start();
    await add(harness, 'bio.md', BIO);
    const buttonsOf = async (): Promise<{ message: string; remove: string; cancel: string }> => {
      const ask = await harness.fake.slashCommand({ name: 'deck', subcommand: 'remove', guildId: classA.id, user: teacher, options: { deck: 'bio cells' } });
      const buttons = (((await ask.waitForReply()) as Reply).components?.[0] as { components: { custom_id: string }[] }).components;
      return { message: ask.original()!.id, remove: buttons[0]!.custom_id, cancel: buttons[1]!.custom_id };
    };
    const first = await buttonsOf();
    const cancel = await harness.fake.button({ message: first.message, customId: first.cancel, user: teacher, guildId: classA.id });
    expect((await cancel.response()).data?.['content']).toBe('Cancelled: **bio cells** stays.');
    const late = await buttonsOf();
    harness.clock.advance(5 * 60 * 1000);
    const press = await harness.fake.button({ message: late.message, customId: late.remove, user: teacher, guildId: classA.id });
    expect((await press.response()).data?.['content']).toBe('This confirmation has expired. Run /deck remove again.');
    expect(await stored(harness)).toHaveLength(1);
  });
});

describe("a server's decks everywhere decks are used", () => {
  it('/daily set and its drops, /practice, /leaderboard and /export take them in their server only', async () => {
    const harness = await start();
    await add(harness, 'bio.md', BIO);
    const channel = classA.channels[1]!.id;

    const refusedDaily = await (await harness.fake.slashCommand({ name: 'daily', subcommand: 'set', guildId: classB.id, user: teacher, options: { channel: classB.channels[1]!.id, time: '09:00', deck: 'bio cells' } })).waitForReply();
    expect(refusedDaily.content).toContain('There is no deck or course called "bio cells"');
    const set = await (await harness.fake.slashCommand({ name: 'daily', subcommand: 'set', guildId: classA.id, user: teacher, options: { channel, time: '09:00', deck: 'bio cells' } })).waitForReply();
    expect(set.content).toContain('from **bio cells**');
    const cursor = harness.fake.cursor();
    const now = await harness.fake.slashCommand({ name: 'daily', subcommand: 'now', guildId: classA.id, user: teacher });
    expect(String((await now.waitForReply()).content)).toContain('Posted a question');
    const drop = harness.fake.calls('POST', `/channels/${channel}/messages`, cursor);
    expect(drop).toHaveLength(1);
    expect(JSON.stringify(drop[0]!.body)).toContain('bio cells');

    const practice = await harness.fake.slashCommand({ name: 'practice', guildId: classA.id, user: ana, options: { deck: 'bio cells' } });
    // Nothing due yet; the deck's 3 cards are there to start.
    expect(String((await practice.waitForReply()).content)).toContain('You can start 3 new cards today.');
    const noPractice = await harness.fake.slashCommand({ name: 'practice', guildId: classB.id, user: ana, options: { deck: 'bio cells' } });
    expect(String((await noPractice.waitForReply()).content)).toContain('There is no deck or course called "bio cells"');

    expect(await suggested(harness, classA.id, 'leaderboard', 'bio')).toEqual(['bio', 'bio cells']);
    expect(await suggested(harness, classA.id, 'export', 'bio')).toEqual(['bio', 'bio cells']);
    expect(await suggested(harness, classA.id, 'daily', 'bio', { time: '09:00' })).toEqual(['bio', 'bio cells']);
    expect(await suggested(harness, classB.id, 'export', 'bio')).toEqual([]);
    const board = await harness.fake.slashCommand({ name: 'leaderboard', guildId: classA.id, user: ana, options: { deck: 'bio cells' } });
    expect(JSON.stringify(await board.waitForReply())).toContain('bio cells');
    const noBoard = await harness.fake.slashCommand({ name: 'leaderboard', guildId: classB.id, user: ana, options: { deck: 'bio cells' } });
    expect(String((await noBoard.waitForReply()).content)).toContain('There is no deck or course called "bio cells"');
  });

  it('Review my misses after a round on an uploaded deck practises its cards', async () => {
    const harness = await start();
    await add(harness, 'bio.md', BIO);
    const channelId = classA.channels[1]!.id;
    const isPost = (r: { method: string; path: string }) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`;
    const cursor = harness.fake.cursor();
    expect((await quiz(harness, classA.id, 'bio cells')).content).toContain('**Quiz: bio cells**');
    await harness.fake.waitForRequest((r) => isPost(r) && JSON.stringify(r.body).includes('Question 1 of 1'), { after: cursor });
    await eventually(() => expect(harness.clock.pendingTimers).toBe(1));
    harness.fake.message({ guildId: classA.id, channelId, author: cleo, content: 'golgi' });
    await eventually(() => expect(harness.fake.channelMessages(channelId, { includeUsers: true }).some((m) => m.content === 'golgi')).toBe(true));
    harness.clock.advance(31_000);
    const summary = (await harness.fake.waitForRequest((r) => isPost(r) && JSON.stringify(r.body).includes('Round over: bio cells'), { after: cursor })).response as APIMessage;
    const review = (summary.components?.[0] as { components: { custom_id: string }[] }).components[0]!.custom_id;
    const press = await harness.fake.button({ message: summary.id, customId: review, user: cleo, guildId: classA.id });
    const practice = JSON.stringify(await press.waitForReply());
    expect(practice).toMatch(/powerhouse of the cell|of the cell|controls what enters the cell/u);
    expect(practice).not.toContain('no longer in the decks');
  });

  it("when a server's uploads cannot be read, its folder decks still work and the log says why", async () => {
    let failing = true;
    const harness = await start({
      wrapKeyv: (keyv) => {
        const get = keyv.get.bind(keyv);
        keyv.get = ((key: string, ...rest: unknown[]) => (failing && String(key).startsWith('decks:') ? Promise.reject(new Error('connection lost')) : (get as (...a: unknown[]) => unknown)(key, ...rest))) as typeof keyv.get;
        return keyv;
      },
    });
    expect((await quiz(harness, classA.id, 'mlops')).content).toContain('**Quiz: mlops**');
    expect(harness.logs.find((l) => l.level === 'warn')?.message).toBe(`the decks uploaded in server ${classA.id} cannot be read (connection lost): only the folder's decks are used for now`);
    // Once the store answers again, the server's decks are read.
    failing = false;
    expect((await add(harness, 'bio.md', BIO)).content).toContain('Added **bio cells**');
  });

  it('an uploaded deck survives a restart', async () => {
    const harness = await start();
    await add(harness, 'bio.md', BIO);
    await harness.restart();
    expect(await decksText(harness, classA.id)).toContain('**bio cells** (uploaded here): 3 cards');
    expect(await decksText(harness, classB.id)).not.toContain('bio cells');
  });
});
