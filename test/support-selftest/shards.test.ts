import { Client, GatewayIntentBits, type Message } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { guildShard, makeGuild, makeUser, snowflakeOnShard, startFakeDiscord, type FakeDiscord } from '../support/discord/index.ts';

const alice = makeUser({ username: 'alice' });

function shardedClient(fake: FakeDiscord, shards: number[] | 'auto', shardCount?: number): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
    rest: { api: fake.restUrl, retries: 0, globalRequestsPerSecond: 10000, timeout: 3000 },
    shards,
    ...(shardCount ? { shardCount } : {}),
  });
}

async function login(client: Client, fake: FakeDiscord): Promise<Client<true>> {
  const ready = new Promise<void>((resolve) => client.once('clientReady', () => resolve()));
  await client.login(fake.token);
  await ready;
  return client as Client<true>;
}

describe('fake Discord gateway: sharded sessions', () => {
  it('snowflakeOnShard gives ids on the asked shard', () => {
    for (const [shard, count] of [[0, 2], [1, 2], [3, 4], [0, 1]] as const) expect(guildShard(snowflakeOnShard(shard, count), count)).toBe(shard);
  });

  it('each session gets the guilds of its shard only, and each guild’s events go to its shard only', async () => {
    const even = makeGuild({ id: snowflakeOnShard(0, 2), name: 'Even', members: [alice] });
    const odd = makeGuild({ id: snowflakeOnShard(1, 2), name: 'Odd', members: [alice] });
    const fake = await startFakeDiscord({ guilds: [even, odd] });
    const zero = await login(shardedClient(fake, [0], 2), fake);
    const one = await login(shardedClient(fake, [1], 2), fake);
    try {
      expect([...zero.guilds.cache.keys()]).toEqual([even.id]);
      expect([...one.guilds.cache.keys()]).toEqual([odd.id]);
      expect(fake.identifyCount).toBe(2);
      const heard: string[] = [];
      zero.on('messageCreate', (m: Message) => heard.push(`0 ${m.content}`));
      one.on('messageCreate', (m: Message) => heard.push(`1 ${m.content}`));
      fake.message({ guildId: odd.id, channelId: odd.channels[0]!.id, author: alice, content: 'to odd' });
      fake.message({ guildId: even.id, channelId: even.channels[0]!.id, author: alice, content: 'to even' });
      await expect.poll(() => heard.slice().sort()).toEqual(['0 to even', '1 to odd']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(heard).toHaveLength(2);
      fake.assertClean();
    } finally {
      await zero.destroy();
      await one.destroy();
      await fake.close();
    }
  });

  it('two sessions on one token: an interaction goes to the session of its guild’s shard, and its reply reaches the fake', async () => {
    const even = makeGuild({ id: snowflakeOnShard(0, 2), name: 'Even', members: [alice] });
    const odd = makeGuild({ id: snowflakeOnShard(1, 2), name: 'Odd', members: [alice] });
    const fake = await startFakeDiscord({ guilds: [even, odd] });
    const zero = await login(shardedClient(fake, [0], 2), fake);
    const one = await login(shardedClient(fake, [1], 2), fake);
    try {
      const heard: string[] = [];
      for (const [name, client] of [['0', zero], ['1', one]] as const) {
        client.on('interactionCreate', (interaction) => {
          if (!interaction.isChatInputCommand()) return;
          heard.push(`${name} ${interaction.guildId}`);
          void interaction.reply({ content: `shard ${name}`, allowedMentions: { parse: [] } });
        });
      }
      const toOdd = await fake.slashCommand({ name: 'ping', guildId: odd.id, user: alice });
      const toEven = await fake.slashCommand({ name: 'ping', guildId: even.id, user: alice });
      expect((await toOdd.waitForReply()).content).toBe('shard 1');
      expect((await toEven.waitForReply()).content).toBe('shard 0');
      expect(heard.slice().sort()).toEqual([`0 ${even.id}`, `1 ${odd.id}`]);
      fake.assertClean();
    } finally {
      await zero.destroy();
      await one.destroy();
      await fake.close();
    }
  });

  it("GET /gateway/bot recommends the shard count, and shards: 'auto' runs that many sessions holding every guild", async () => {
    const guilds = [0, 1, 2].map((shard) => makeGuild({ id: snowflakeOnShard(shard, 3), members: [alice] }));
    const fake = await startFakeDiscord({ guilds, recommendedShards: 3 });
    const client = await login(shardedClient(fake, 'auto'), fake);
    try {
      expect(client.ws.shards.size).toBe(3);
      expect([...client.guilds.cache.keys()].sort()).toEqual(guilds.map((g) => g.id).sort());
      expect(fake.identifyCount).toBe(3);
      expect(guilds.map((g) => client.guilds.cache.get(g.id)!.shardId)).toEqual([0, 1, 2]);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});
