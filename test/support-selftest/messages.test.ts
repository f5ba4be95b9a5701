import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AttachmentBuilder, EmbedBuilder, Routes, type Message, type SendableChannels } from 'discord.js';
import { startHarness, type Harness } from './helpers.ts';

const none = { parse: [] as [] };
/** A 1×1 PNG. */
const TINY_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64');

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

function sendable(channelId: string): SendableChannels {
  const channel = h.client.channels.cache.get(channelId);
  if (!channel?.isSendable()) throw new Error(`channel ${channelId} is not sendable`);
  return channel;
}

describe('fake Discord messages', () => {
  it('dispatches MESSAGE_CREATE and records a reply with its message reference', async () => {
    const replied = new Promise<Message>((resolve, reject) => {
      h.client.once('messageCreate', (m) => {
        m.reply({ content: `echo: ${m.content}`, allowedMentions: { parse: [], repliedUser: false } }).then(resolve, reject);
      });
    });
    const cursor = h.fake.cursor();
    const userMessage = h.fake.message({ content: '!card mitochondria' });
    const reply = await replied;
    const call = await h.fake.waitForRequest((r) => r.method === 'POST' && r.path.endsWith('/messages'), { after: cursor });
    expect(call.body).toMatchObject({
      content: 'echo: !card mitochondria',
      message_reference: { message_id: userMessage.id },
      allowed_mentions: { parse: [], replied_user: false },
    });
    expect(reply.reference?.messageId).toBe(userMessage.id);
    const stored = h.fake.channelMessages(userMessage.channel_id);
    expect(stored.map((m) => m.content)).toEqual(['echo: !card mitochondria']);
    expect(h.fake.channelMessages(userMessage.channel_id, { includeUsers: true })).toHaveLength(2);
    h.fake.assertClean();
  });

  it("a member's message sent with a nonce comes with it in MESSAGE_CREATE, and one sent without has none", async () => {
    const seen: Message[] = [];
    const both = new Promise<void>((resolve) => {
      h.client.on('messageCreate', (m) => {
        seen.push(m);
        if (seen.length === 2) resolve();
      });
    });
    h.fake.message({ content: 'with', nonce: 'right' });
    h.fake.message({ content: 'without' });
    await both;
    expect(seen.map((m) => [m.content, m.nonce])).toEqual([
      ['with', 'right'],
      ['without', null],
    ]);
  });

  it('records a message with an embed, and edits and deletes it', async () => {
    const channelId = h.guild.channels[0]!.id;
    const embed = new EmbedBuilder().setTitle('Leaderboard').addFields({ name: 'alice', value: '12 pts' });
    const sent = await sendable(channelId).send({ embeds: [embed], allowedMentions: none });
    expect(h.fake.getMessage(sent.id)?.embeds[0]?.title).toBe('Leaderboard');
    await sent.edit({ content: 'final', allowedMentions: none });
    expect(h.fake.getMessage(sent.id)?.content).toBe('final');
    expect(h.fake.getMessage(sent.id)?.edited_timestamp).not.toBeNull();
    await sent.delete();
    expect(h.fake.channelMessages(channelId)).toEqual([]);
    h.fake.assertClean();
  });

  it('drops embeds where the bot lacks Embed Links', async () => {
    const quizId = h.guild.channels[1]!.id;
    await sendable(quizId).send({ content: 'q', embeds: [new EmbedBuilder().setTitle('x')], allowedMentions: none });
    expect(h.fake.channelMessages(quizId)[0]?.embeds).toEqual([]);
  });

  it('parses multipart uploads', async () => {
    const channelId = h.guild.channels[0]!.id;
    const file = new AttachmentBuilder(Buffer.from('front,back\ncell,unit of life\n'), { name: 'deck.csv' });
    await sendable(channelId).send({ content: 'export', files: [file], allowedMentions: none });
    const call = h.fake.calls('POST', `/channels/${channelId}/messages`)[0]!;
    expect(call.body).toMatchObject({ content: 'export' });
    expect(call.files).toHaveLength(1);
    expect(call.files[0]?.filename).toBe('deck.csv');
    expect(call.files[0]?.text).toContain('cell,unit of life');
    expect(h.fake.channelMessages(channelId)[0]?.attachments[0]?.filename).toBe('deck.csv');
    h.fake.assertClean();
  });

  it('accepts a PNG shown in an embed by attachment://, and an edit with a new file replaces it', async () => {
    const channelId = h.guild.channels[0]!.id;
    const embed = new EmbedBuilder().setTitle('Chart').setImage('attachment://chart.png');
    const sent = await sendable(channelId).send({ embeds: [embed], files: [new AttachmentBuilder(TINY_PNG, { name: 'chart.png' })], allowedMentions: none });
    const call = h.fake.calls('POST', `/channels/${channelId}/messages`)[0]!;
    expect(call.files.map((f) => [f.field, f.filename, f.contentType])).toEqual([['files[0]', 'chart.png', 'image/png']]);
    expect(call.body).toMatchObject({ attachments: [{ id: '0' }], embeds: [{ image: { url: 'attachment://chart.png' } }] });
    const first = h.fake.getMessage(sent.id)?.attachments[0]?.id;
    await sent.edit({ embeds: [embed], files: [new AttachmentBuilder(TINY_PNG, { name: 'chart.png' })], allowedMentions: none });
    const attachments = h.fake.getMessage(sent.id)?.attachments ?? [];
    expect(attachments).toHaveLength(1);
    expect(attachments[0]?.id).not.toBe(first);
    h.fake.assertClean();
  });

  it('rejects an embed showing a file that was not uploaded, a PNG that is not one, and files left out of attachments', async () => {
    const channelId = h.guild.channels[0]!.id;
    const channel = sendable(channelId);
    const missing = new EmbedBuilder().setImage('attachment://missing.png');
    await expect(channel.send({ embeds: [missing], files: [new AttachmentBuilder(TINY_PNG, { name: 'chart.png' })], allowedMentions: none })).rejects.toThrow(/Invalid Form Body/);
    await expect(channel.send({ embeds: [missing], allowedMentions: none })).rejects.toThrow(/Invalid Form Body/);
    await expect(channel.send({ files: [new AttachmentBuilder(Buffer.from('not a png'), { name: 'chart.png' })], allowedMentions: none })).rejects.toThrow(/Invalid Form Body/);
    await expect(h.client.rest.post(Routes.channelMessages(channelId), { body: { content: 'x', attachments: [], allowed_mentions: none }, files: [{ name: 'a.png', data: TINY_PNG }] })).rejects.toThrow(/Invalid Form Body/);
    expect(h.fake.violations.map((v) => v.messages)).toEqual([
      ['embeds[0].image.url shows attachment://missing.png, which was not uploaded (uploaded: chart.png)'],
      ['embeds[0].image.url shows attachment://missing.png, which was not uploaded (uploaded: none)'],
      ['files[0] (chart.png) is named or typed as a PNG but is not one'],
      ['files[0] (a.png) is not listed in attachments, so Discord would drop it'],
    ]);
    expect(h.fake.channelMessages(channelId)).toEqual([]);
  });

  it('catches content over 2000 characters and a missing allowed_mentions', async () => {
    const channel = sendable(h.guild.channels[0]!.id);
    await expect(channel.send({ content: 'x'.repeat(2001), allowedMentions: none })).rejects.toThrow(/Invalid Form Body/);
    await expect(channel.send({ content: 'hi @everyone' })).rejects.toThrow(/allowed_mentions/);
    expect(h.fake.violations).toHaveLength(2);
    expect(h.fake.violations[0]?.messages).toEqual(['content has 2001 characters (max 2000)']);
    expect(() => h.fake.assertClean()).toThrow(/2 invalid request/);
  });

  it('catches an embed over 6000 characters, a long custom id and an unknown route', async () => {
    const channel = sendable(h.guild.channels[0]!.id);
    const big = new EmbedBuilder().setDescription('d'.repeat(4000)).addFields(
      { name: 'a', value: 'v'.repeat(1024) },
      { name: 'b', value: 'v'.repeat(1024) },
    );
    await expect(channel.send({ embeds: [big], allowedMentions: none })).rejects.toThrow();
    await expect(
      channel.send({
        allowedMentions: none,
        components: [{ type: 1, components: [{ type: 2, style: 1, label: 'go', custom_id: 'c'.repeat(101) }] }],
      }),
    ).rejects.toThrow();
    await expect(h.client.rest.get('/not-a-route' as `/${string}`)).rejects.toThrow();
    const kinds = h.fake.violations.map((v) => v.kind);
    expect(kinds).toContain('rule');
    expect(kinds).toContain('schema');
    expect(kinds).toContain('route');
    expect(h.fake.violations.flatMap((v) => v.messages).join('\n')).toMatch(/embeds total 6050/);
  });
});
