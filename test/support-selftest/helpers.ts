import { Client, GatewayIntentBits } from 'discord.js';
import { makeGuild, makeUser, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../support/discord/index.ts';

export const alice = makeUser({ username: 'alice', global_name: 'Alice' });
export const bob = makeUser({ username: 'bob', global_name: 'Bob' });

export function classGuild() {
  return makeGuild({
    name: 'Biology 101',
    members: [alice, bob],
    channels: [{ name: 'general' }, { name: 'quiz', botDeny: ['EmbedLinks'] }],
  });
}

export function newClient(fake: FakeDiscord): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: fake.restUrl, retries: 0, globalRequestsPerSecond: 10000, timeout: 3000 },
  });
}

/** Logs a client in and waits for its `ready` event. */
export async function loginClient(fake: FakeDiscord, token = fake.token): Promise<Client<true>> {
  const client = newClient(fake);
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(token);
  await ready;
  return client as Client<true>;
}

export interface Harness {
  fake: FakeDiscord;
  client: Client<true>;
  guild: ReturnType<typeof classGuild>;
  close(): Promise<void>;
}

export async function startHarness(options: FakeDiscordOptions = {}): Promise<Harness> {
  const guild = classGuild();
  const fake = await startFakeDiscord({ guilds: [guild], ...options });
  const client = await loginClient(fake);
  return {
    fake,
    client,
    guild,
    async close() {
      await client.destroy();
      await fake.close();
    },
  };
}
