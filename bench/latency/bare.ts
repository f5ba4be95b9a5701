/**
 * The anchor of bench/latency.ts: a bare discord.js client with the bot's intents that replies
 * with a short message to the messages the bot answers (the right answers, which the bench marks
 * with the nonce 'right'), and nothing else (discord.js's default caches).
 */
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import { env, serveBench } from './child.ts';

const bench = serveBench();
const client = new Client({
  intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
  partials: [Partials.Channel],
  allowedMentions: { parse: [], repliedUser: false },
  rest: { api: env('BENCH_API_URL'), globalRequestsPerSecond: 10_000 },
});
client.on(Events.MessageCreate, (message) => {
  if (message.author.bot || message.nonce !== 'right') return;
  message.reply('Noted.').catch((error: unknown) => console.error('reply failed', error));
});
client.once(Events.ClientReady, () => {
  bench.ready();
  bench.warm();
});
await client.login(env('BENCH_TOKEN'));
