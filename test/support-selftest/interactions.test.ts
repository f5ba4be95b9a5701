import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  ModalBuilder,
  SlashCommandBuilder,
  TextInputBuilder,
  TextInputStyle,
  type Interaction,
} from 'discord.js';
import { startHarness, type Harness } from './helpers.ts';

const none = { parse: [] as [] };

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

/** Runs `handler` for the next interaction the client receives; rejects the promise on handler errors. */
function onInteraction(handler: (i: Interaction) => Promise<unknown>): Promise<void> {
  return new Promise((resolve, reject) => {
    h.client.once('interactionCreate', (i) => {
      handler(i).then(() => resolve(), reject);
    });
  });
}

const quizCommand = new SlashCommandBuilder()
  .setName('quiz')
  .setDescription('Quiz rounds')
  .addSubcommand((s) =>
    s
      .setName('start')
      .setDescription('Start a round')
      .addStringOption((o) => o.setName('deck').setDescription('Deck').setRequired(true).setAutocomplete(true))
      .addIntegerOption((o) => o.setName('questions').setDescription('How many').setMinValue(1).setMaxValue(20)),
  );

describe('fake Discord interactions', () => {
  it('delivers an attachment option with its description, and serves its bytes at its url on loopback', async () => {
    const upload = new SlashCommandBuilder()
      .setName('upload')
      .setDescription('Upload a file')
      .addAttachmentOption((o) => o.setName('file').setDescription('The file').setRequired(true));
    await h.client.application.commands.set([upload.toJSON()]);
    const file = h.fake.attachment({ filename: 'bio cells.md', bytes: '# deck: bio\nThe -cell- divides.\n' });
    let got: { name: string; size: number; contentType: string | null; url: string; text: string } | undefined;
    const handled = onInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      const attachment = i.options.getAttachment('file', true);
      const text = await (await fetch(attachment.url)).text();
      got = { name: attachment.name, size: attachment.size, contentType: attachment.contentType, url: attachment.url, text };
      await i.reply({ content: 'ok', allowedMentions: none });
    });
    await h.fake.slashCommand({ name: 'upload', options: { file } });
    await handled;
    expect(got).toMatchObject({ name: 'bio cells.md', size: 32, contentType: 'text/markdown; charset=utf-8', text: '# deck: bio\nThe -cell- divides.\n' });
    expect(new URL(got!.url).hostname).toBe('127.0.0.1');
    expect(h.fake.downloads).toEqual([file.id]);
    // Only downloads are counted; an unknown attachment is a 404.
    expect((await fetch(got!.url.replace(file.id, '1'))).status).toBe(404);
    h.fake.assertClean();
  });

  it('records a bulk overwrite of commands and answers with ids', async () => {
    const set = await h.client.application.commands.set([quizCommand.toJSON()]);
    expect(set.first()?.name).toBe('quiz');
    expect(h.fake.commandOverwrites).toHaveLength(1);
    expect(h.fake.commands()[0]?.id).toBe(set.first()?.id);
    const guildSet = await h.client.application.commands.set([quizCommand.toJSON()], h.guild.id);
    expect(guildSet.size).toBe(1);
    expect(h.fake.commands(h.guild.id)).toHaveLength(1);
    h.fake.assertClean();
  });

  it('delivers a slash command with a subcommand and typed options, and records the reply', async () => {
    await h.client.application.commands.set([quizCommand.toJSON()]);
    const handled = onInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      const sub = i.options.getSubcommand();
      const deck = i.options.getString('deck', true);
      const n = i.options.getInteger('questions');
      await i.reply({ content: `${sub} ${deck} ${n} by ${i.user.username}`, allowedMentions: none });
    });
    const cmd = await h.fake.slashCommand({ name: 'quiz', subcommand: 'start', options: { deck: 'cells', questions: 5 } });
    await handled;
    const reply = await cmd.waitForReply();
    expect(reply['content']).toBe('start cells 5 by alice');
    expect(cmd.original()?.content).toBe('start cells 5 by alice');
    expect(h.fake.channelMessages(h.guild.channels[0]!.id)).toHaveLength(1);
    h.fake.assertClean();
  });

  it('handles a deferred reply followed by editReply and a follow-up', async () => {
    const handled = onInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply({ flags: 'Ephemeral' });
      await i.editReply({ content: 'done thinking', allowedMentions: none });
      await i.followUp({ content: 'one more thing', allowedMentions: none });
    });
    const cmd = await h.fake.slashCommand({ name: 'stats' });
    await handled;
    expect((await cmd.response()).type).toBe(5);
    expect((await cmd.waitForReply())['content']).toBe('done thinking');
    expect(cmd.edits()).toHaveLength(1);
    expect(cmd.followUps()[0]?.body).toMatchObject({ content: 'one more thing' });
    expect(cmd.original()?.flags).toBe(64);
    h.fake.assertClean();
  });

  it('updates the message a button is on', async () => {
    const channel = h.client.channels.cache.get(h.guild.channels[0]!.id);
    if (!channel?.isSendable()) throw new Error('channel not sendable');
    const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
      new ButtonBuilder().setCustomId('reveal:1').setLabel('Reveal').setStyle(ButtonStyle.Primary),
    );
    const sent = await channel.send({ content: 'Question 1', components: [row], allowedMentions: none });
    const stored = h.fake.getMessage(sent.id)!;
    const handled = onInteraction(async (i) => {
      if (!i.isButton()) throw new Error('expected a button');
      await i.update({ content: `Answer for ${i.customId}`, components: [], allowedMentions: none });
    });
    const click = await h.fake.button({ message: stored, customId: 'reveal:1', user: h.guild.members[1]!.user });
    await handled;
    expect((await click.response()).type).toBe(7);
    expect(h.fake.getMessage(sent.id)?.content).toBe('Answer for reveal:1');
    expect(h.fake.getMessage(sent.id)?.components).toEqual([]);
    h.fake.assertClean();
  });

  it('shows a modal and reads the submitted fields', async () => {
    const shown = onInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      const modal = new ModalBuilder()
        .setCustomId('card:new')
        .setTitle('New card')
        .addComponents(
          new ActionRowBuilder<TextInputBuilder>().addComponents(
            new TextInputBuilder().setCustomId('front').setLabel('Front').setStyle(TextInputStyle.Short),
          ),
        );
      await i.showModal(modal);
    });
    const cmd = await h.fake.slashCommand({ name: 'card' });
    await shown;
    expect((await cmd.modal())['custom_id']).toBe('card:new');

    const submitted = onInteraction(async (i) => {
      if (!i.isModalSubmit()) throw new Error('expected a modal submit');
      await i.reply({ content: `saved ${i.fields.getTextInputValue('front')}`, allowedMentions: none });
    });
    const submit = await h.fake.modalSubmit({ customId: 'card:new', fields: { front: 'mitochondria' } });
    await submitted;
    expect((await submit.waitForReply())['content']).toBe('saved mitochondria');
    h.fake.assertClean();
  });

  it('answers autocomplete with choices', async () => {
    await h.client.application.commands.set([quizCommand.toJSON()]);
    const handled = onInteraction(async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      const typed = i.options.getFocused();
      await i.respond([{ name: `cells (${typed})`, value: 'cells' }]);
    });
    const ac = await h.fake.autocomplete({ name: 'quiz', subcommand: 'start', options: { deck: 'ce' }, focused: 'deck' });
    await handled;
    expect(await ac.choices()).toEqual([{ name: 'cells (ce)', value: 'cells' }]);
    h.fake.assertClean();
  });

  it('returns the callback resource with withResponse, and handles a select with deferUpdate + editReply', async () => {
    let replyId = '';
    const handled = onInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      const res = await i.reply({
        content: 'pick a deck',
        components: [{ type: 1, components: [{ type: 3, custom_id: 'deck', options: [{ label: 'Cells', value: 'cells' }] }] }],
        allowedMentions: none,
        withResponse: true,
      });
      replyId = res.resource?.message?.id ?? '';
    });
    const cmd = await h.fake.slashCommand({ name: 'decks', member: { permissions: ['Administrator'] } });
    await handled;
    expect((await cmd.callback()).query['with_response']).toBe('true');
    expect(replyId).toBe(cmd.original()?.id);
    expect(cmd.payload['member']).toMatchObject({ permissions: '8' });

    const picked = onInteraction(async (i) => {
      if (!i.isStringSelectMenu()) throw new Error('expected a select');
      await i.deferUpdate();
      await i.editReply({ content: `picked ${i.values.join()}`, components: [], allowedMentions: none });
    });
    const select = await h.fake.select({ message: replyId, customId: 'deck', values: ['cells'] });
    await picked;
    expect((await select.response()).type).toBe(6);
    await select.waitForEdit();
    expect(h.fake.getMessage(replyId)?.content).toBe('picked cells');
    h.fake.assertClean();
  });

  it('flags a second answer to the same interaction', async () => {
    const handled = onInteraction(async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.reply({ content: 'one', allowedMentions: none });
      // Bypass discord.js' own guard to reach the API twice.
      await h.client.rest.post(`/interactions/${i.id}/${i.token}/callback`, {
        body: { type: 4, data: { content: 'two', allowed_mentions: none } },
        auth: false,
      });
    });
    await h.fake.slashCommand({ name: 'twice' });
    await expect(handled).rejects.toThrow(/already been acknowledged/);
    expect(h.fake.violations.map((v) => v.messages.join())).toEqual([expect.stringMatching(/answered twice/)]);
  });
});
