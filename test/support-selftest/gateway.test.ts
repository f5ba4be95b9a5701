import { describe, expect, it } from 'vitest';
import { ChannelType, PermissionFlagsBits, type TextChannel } from 'discord.js';
import { startFakeDiscord } from '../support/discord/index.ts';
import { classGuild, loginClient, newClient, startHarness } from './helpers.ts';

describe('fake Discord gateway', () => {
  it('logs a real client in with the guild, channels, members and permissions cached', async () => {
    const h = await startHarness();
    try {
      const { client, fake, guild } = h;
      expect(fake.connected).toBe(true);
      expect(client.user.id).toBe(fake.botUser.id);
      expect(client.application.id).toBe(fake.applicationId);
      const cached = client.guilds.cache.get(guild.id);
      expect(cached?.name).toBe('Biology 101');
      const [general, quiz] = guild.channels;
      const channel = cached?.channels.cache.get(general!.id);
      expect(channel?.type).toBe(ChannelType.GuildText);
      expect(channel?.name).toBe('general');
      const me = cached!.members.me!;
      expect(me.id).toBe(fake.botUser.id);
      const perms = (channel as TextChannel).permissionsFor(me);
      expect(perms.has(PermissionFlagsBits.SendMessages)).toBe(true);
      expect(perms.has(PermissionFlagsBits.EmbedLinks)).toBe(true);
      expect(perms.has(PermissionFlagsBits.ManageGuild)).toBe(false);
      const quizChannel = cached!.channels.cache.get(quiz!.id) as TextChannel;
      expect(quizChannel.permissionsFor(me).has(PermissionFlagsBits.EmbedLinks)).toBe(false);
      expect(quizChannel.permissionsFor(me).has(PermissionFlagsBits.SendMessages)).toBe(true);
      // REST reads work too.
      const member = await cached!.members.fetch({ user: guild.members[0]!.user.id, force: true });
      expect(member.user.username).toBe('alice');
      // Member chunks over the gateway (op 8) too.
      const all = await cached!.members.fetch();
      expect(all.map((m) => m.user.username).sort()).toEqual(['alice', 'bob', 'studybot']);
      expect(fake.identifyPayload?.['intents']).toBeTypeOf('number');
      fake.assertClean();
    } finally {
      await h.close();
    }
  });

  it('serves a second client after the first is destroyed (a restart)', async () => {
    const fake = await startFakeDiscord({ guilds: [classGuild()] });
    try {
      const first = await loginClient(fake);
      await first.destroy();
      const second = await loginClient(fake);
      expect(second.guilds.cache.size).toBe(1);
      expect(fake.identifyCount).toBe(2);
      await second.destroy();
      fake.assertClean();
    } finally {
      await fake.close();
    }
  });

  it('refuses a rejected token so login fails', async () => {
    const fake = await startFakeDiscord({ guilds: [classGuild()], rejectToken: 'bad-token' });
    const client = newClient(fake);
    try {
      await expect(client.login('bad-token')).rejects.toThrow();
      const gatewayCall = fake.calls('GET', '/gateway/bot')[0];
      expect(gatewayCall?.status).toBe(401);
    } finally {
      await client.destroy();
      await fake.close();
    }
  });
});
