/**
 * `npm run bench -- rounds-heap`: per-round memory. 500 live rounds in a row in one server
 * (one question each, answered right by one of three members, then the summary), the bot in
 * this process against the fake Discord with a manual clock. The heap after garbage collection
 * after the first 20 rounds (start-up and JIT settled) is compared with the heap after the
 * last: the target is within 5 MB. The fake forgets each finished round's requests and messages,
 * so what grows is the bot's.
 *
 *   BENCH_ROUNDS=500 npx tsx --expose-gc bench/rounds-heap.ts
 */
import type { APIEmbed } from 'discord.js';
import { livePrompt } from '../src/bot/render.ts';
import type { RecordedRequest } from '../test/support/discord/index.ts';
import { ana, ben, cleo, seedDecks, startHarness, teacher } from '../test/e2e/harness.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 500);
const WARM_UP = 20;
const TARGET_MB = 5;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('rounds-heap needs --expose-gc (npm run bench passes it).');
  process.exit(2);
}

async function heapAfterGc(): Promise<number> {
  for (let i = 0; i < 4; i++) {
    gc!();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return process.memoryUsage().heapUsed;
}

const decks = await seedDecks();
const byPrompt = new Map(decks.flatMap((d) => d.cards).map((card) => [livePrompt(card, 0), card]));
const harness = await startHarness({ decks });
const { fake } = harness;
const channelId = harness.guild.channels[1]!.id;
const members = [ana, ben, cleo];
const embedOf = (r: RecordedRequest): APIEmbed | undefined => (r.body as { embeds?: APIEmbed[] } | undefined)?.embeds?.[0];
const posted = (title: RegExp) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/messages` && r.status < 300 && title.test(embedOf(r)?.title ?? '');

let heapAtStart = 0;
const started = performance.now();
for (let round = 1; round <= ROUNDS; round++) {
  const quiz = await fake.slashCommand({ name: 'quiz', options: { deck: 'mlops wk9', questions: 1, seconds: 30, pause: 0 }, user: teacher, channelId });
  await quiz.waitForReply();
  const question = await fake.waitForRequest(posted(/^Question 1 of 1$/));
  const card = byPrompt.get(embedOf(question)?.description?.split('\n\n')[0] ?? '');
  if (!card) throw new Error(`round ${round}: the question's card was not found`);
  fake.message({ channelId, author: members[round % members.length]!, content: card.answers.join(', ') });
  await fake.waitForRequest(posted(/^Round over/));
  await new Promise((resolve) => setTimeout(resolve, 5));
  // The fake keeps every request and message: forget this round's, and the harness's log lines.
  fake.assertClean();
  if (harness.errors().length > 0) throw new Error(`round ${round}: ${harness.errors()[0]!.message}`);
  fake.requests.length = 0;
  fake.store.messages.clear();
  fake.store.interactions.clear();
  fake.store.nonces.clear();
  harness.logs.length = 0;
  harness.clock.advance(60_000);
  if (round === WARM_UP) heapAtStart = await heapAfterGc();
}
const heapAtEnd = await heapAfterGc();
const seconds = (performance.now() - started) / 1000;
await harness.close();

const grown = (heapAtEnd - heapAtStart) / 1e6;
const met = grown <= TARGET_MB;
console.log(`rounds-heap: ${ROUNDS} live rounds of one answered question in ${seconds.toFixed(1)} s (${((seconds * 1000) / ROUNDS).toFixed(0)} ms a round)`);
console.log(`  heap after GC after round ${WARM_UP} ${(heapAtStart / 1e6).toFixed(1)} MB, after round ${ROUNDS} ${(heapAtEnd / 1e6).toFixed(1)} MB: ${grown >= 0 ? '+' : ''}${grown.toFixed(2)} MB (${((grown * 1e6) / (ROUNDS - WARM_UP) / 1e3).toFixed(2)} kB a round)   target within ${TARGET_MB} MB ${met ? 'met' : 'MISSED'}`);
process.exit(met ? 0 : 1);
