/**
 * /deck: the decks a server uploads for itself (Manage Server). `add` downloads the attached
 * file, converts Anki and spreadsheet files, checks it (`checkUpload`) and stores it for this
 * server only; `remove` asks for a confirmation; `show` hands the deck file back.
 */
import { ActionRowBuilder, ButtonBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { AttachmentBuilder, ButtonStyle, InteractionContextType, MessageFlags, PermissionFlagsBits, type ChatInputCommandInteraction } from 'discord.js';
import { cardCount } from '../../deck/library.ts';
import { normalizeName } from '../../deck/parse.ts';
import { checkUpload, deckCounts, MAX_SERVER_CARDS, MAX_SERVER_DECK_BYTES, MAX_SERVER_DECKS, type UploadResult } from '../../deck/server-decks.ts';
import { prepareUpload, uploadKind, UPLOAD_FORMATS } from '../../deck/upload.ts';
import { deckRemovalKey } from '../../storage/keys.ts';
import type { ServerDeck } from '../../storage/server-decks.ts';
import type { Command, ComponentHandler } from '../command.ts';
import type { BotContext } from '../context.ts';
import { customId } from '../custom-id.ts';
import { download } from '../download.ts';
import { userError, type UserError } from '../reply.ts';
import { clip, plain } from '../render.ts';
import { CONFIRM_TTL_MS, takeConfirmation, type PendingConfirmation } from '../confirmation.ts';
import type { Choice } from './shared.ts';

type Handler = (interaction: ChatInputCommandInteraction<'cached'>, ctx: BotContext) => Promise<UserError | void>;

interface PendingRemoval extends PendingConfirmation {
  readonly deck: string;
}

const MANAGE_ONLY = 'Only members with Manage Server can change the decks of this server.';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/u, '')} MB`;
}

/** The server's own deck called `query`, or a message listing its decks. */
async function ownDeck(ctx: BotContext, guildId: string, query: string): Promise<ServerDeck | UserError> {
  const own = await ctx.serverDecks.list(guildId);
  const name = normalizeName(query);
  const found = own.find((d) => d.deck.name === name);
  if (found) return found;
  const names = own.map((d) => `\`${d.deck.name}\``).join(', ');
  return userError(clip(`This server has no uploaded deck called "${query.trim()}". ${names ? `Its uploaded decks: ${names}.` : 'It has no uploaded decks: add one with /deck add.'}`, 2000));
}

const add: Handler = async (interaction, ctx) => {
  const attachment = interaction.options.getAttachment('file', true);
  const replace = interaction.options.getBoolean('replace') ?? false;
  const name = attachment.name;
  const kind = uploadKind(name);
  if (!kind) return userError(`${name} was not added: upload ${UPLOAD_FORMATS}.`);
  // Refused from the size Discord gives, before anything is downloaded.
  if (attachment.size > MAX_SERVER_DECK_BYTES) {
    const hint = kind === 'apkg' ? ', or export it from Anki as "Notes in Plain Text" (a package with pictures or sounds is larger)' : '';
    return userError(`${name} was not added: it is ${megabytes(attachment.size)}, and an upload may be 1 MB at most. Split it into several decks${hint}.`);
  }
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const got = await download(attachment.url, MAX_SERVER_DECK_BYTES);
  if (!got.ok) {
    ctx.logger.warn(`/deck add: could not download ${name} (${got.why})`);
    return userError(`I could not download ${name} (${got.why}). Upload it again in a moment.`);
  }
  const prepared = await prepareUpload(got.bytes, name);
  if (!prepared.ok) return userError(prepared.message);
  const result = await ctx.serverDecks.change<UploadResult>(interaction.guildId, (current) => {
    const checked = checkUpload({
      bytes: prepared.bytes,
      fileName: prepared.fileName,
      folderDecks: ctx.serverDecks.folder.decks,
      serverDecks: current.map((d) => d.deck),
      replace,
    });
    if (!checked.ok) return { result: checked };
    const added = { file: checked.file, deck: checked.deck };
    const decks = checked.replaced ? current.map((d) => (d.deck.name === checked.deck.name ? added : d)) : [...current, added];
    return { decks, result: checked };
  });
  if (!result.ok) return userError(clip(result.message, 2000));
  const lines = [`${result.replaced ? 'Replaced' : 'Added'} **${plain(result.deck.name)}** for this server: ${deckCounts(result.deck)}.`];
  if (prepared.converted) {
    const { from, skipped } = prepared.converted;
    const listed = skipped.slice(0, 5).map((s) => `- ${s.where}: ${s.reason}`);
    lines.push(`Converted from ${from}${skipped.length ? `; ${skipped.length} left out:` : '.'}`, ...listed);
    if (skipped.length > listed.length) lines.push(`- …and ${skipped.length - listed.length} more`);
  }
  lines.push(`Only this server sees it: \`/quiz deck:${result.deck.name}\`, /practice and /daily set use it; \`/deck show\` gives the file back.`);
  await interaction.editReply({ content: clip(lines.join('\n'), 2000) });
};

const remove: Handler = async (interaction, ctx) => {
  const found = await ownDeck(ctx, interaction.guildId, interaction.options.getString('deck', true));
  if ('kind' in found) return found;
  const name = found.deck.name;
  await ctx.store.set<PendingRemoval>(deckRemovalKey(interaction.id), { guildId: interaction.guildId, ownerId: interaction.user.id, deck: name, expiresAt: ctx.clock.now() + CONFIRM_TTL_MS });
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId('deck', 'remove', interaction.id)).setLabel(clip(`Remove ${name}`, 80)).setStyle(ButtonStyle.Danger),
    new ButtonBuilder().setCustomId(customId('deck', 'cancel', interaction.id)).setLabel('Cancel').setStyle(ButtonStyle.Secondary),
  );
  await interaction.reply({
    content: `Remove **${plain(name)}** (${cardCount(found.deck)} cards) from this server? /quiz, /practice and the daily question stop using it; a round running on it finishes, and scores stay. \`/deck show\` first keeps a copy of the file.`,
    components: [row.toJSON()],
    flags: MessageFlags.Ephemeral,
  });
};

/** A name Discord accepts for an attachment: ASCII letters, digits, `_`, `-` and `.`. */
function attachmentName(fileName: string): string {
  const safe = fileName.replace(/[^A-Za-z0-9_.-]+/gu, '-').replace(/^[-.]+/u, '');
  return safe.includes('.') ? safe : `${safe || 'deck'}.md`;
}

const show: Handler = async (interaction, ctx) => {
  const found = await ownDeck(ctx, interaction.guildId, interaction.options.getString('deck', true));
  if ('kind' in found) return found;
  const file = new AttachmentBuilder(Buffer.from(found.file.source, 'utf8'), { name: attachmentName(found.file.fileName) });
  await interaction.reply({
    content: `**${plain(found.deck.name)}**: ${deckCounts(found.deck)}. Edit the file and upload it again with \`/deck add\` and \`replace:True\`.`,
    files: [file],
    flags: MessageFlags.Ephemeral,
  });
};

const SUBCOMMANDS: Readonly<Record<string, Handler>> = { add, remove, show };

export const deck: Command = {
  data: new SlashCommandBuilder()
    .setName('deck')
    .setDescription("This server's own decks: upload, remove, download (Manage Server)")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('add')
        .setDescription(`Upload a deck for this server only (1 MB, ${MAX_SERVER_DECKS} decks, ${MAX_SERVER_CARDS.toLocaleString('en-US')} cards at most)`)
        .addAttachmentOption((o) => o.setName('file').setDescription('A deck (.md, .txt), an Anki .apkg or text export, or a .csv/.tsv spreadsheet').setRequired(true))
        .addBooleanOption((o) => o.setName('replace').setDescription("Put it in place of this server's deck of the same name (default: no)")),
    )
    .addSubcommand((s) =>
      s
        .setName('remove')
        .setDescription('Remove one of the decks uploaded here (asks first)')
        .addStringOption((o) => o.setName('deck').setDescription('The deck name').setRequired(true).setAutocomplete(true).setMaxLength(100)),
    )
    .addSubcommand((s) =>
      s
        .setName('show')
        .setDescription('The file of a deck uploaded here, to edit and upload again')
        .addStringOption((o) => o.setName('deck').setDescription('The deck name').setRequired(true).setAutocomplete(true).setMaxLength(100)),
    ),

  async execute(interaction, ctx) {
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return userError(MANAGE_ONLY);
    const handler = SUBCOMMANDS[interaction.options.getSubcommand()];
    return handler ? handler(interaction, ctx) : userError('Unknown subcommand.');
  },

  async autocomplete(interaction, ctx) {
    const typed = normalizeName(interaction.options.getFocused());
    const names = (await ctx.serverDecks.list(interaction.guildId)).map((d) => d.deck.name).sort();
    const choices: Choice[] = [...names.filter((n) => n.startsWith(typed)), ...names.filter((n) => !n.startsWith(typed) && n.includes(typed))]
      .slice(0, 25)
      .map((n) => ({ name: clip(n, 100), value: clip(n, 100) }));
    await interaction.respond(choices);
  },
};

/** The buttons of a /deck remove confirmation: `deck:remove:<id>` and `deck:cancel:<id>`. */
export const deckConfirm: ComponentHandler = {
  prefix: 'deck',
  async button(interaction, [action, id = ''], ctx) {
    const now = ctx.clock.now();
    // Taken in one step, so a double press removes once.
    const taken = await takeConfirmation<PendingRemoval>(ctx.store, deckRemovalKey(id), interaction.user.id, now);
    if (taken === 'not-yours') return userError('Only the member who asked to remove the deck can confirm it.');
    if (!taken) {
      await interaction.update({ content: 'This confirmation has expired. Run /deck remove again.', components: [] });
      return;
    }
    if (action !== 'remove') {
      await interaction.update({ content: `Cancelled: **${plain(taken.deck)}** stays.`, components: [] });
      return;
    }
    if (!interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild)) return userError(MANAGE_ONLY);
    const removed = await ctx.serverDecks.change(taken.guildId, (current) => {
      const kept = current.filter((d) => d.deck.name !== taken.deck);
      return kept.length === current.length ? { result: false } : { decks: kept, result: true };
    });
    await interaction.update({ content: removed ? `Removed **${plain(taken.deck)}** from this server.` : `**${plain(taken.deck)}** was already removed.`, components: [] });
  },
};
