/**
 * The daily drops' Discord side: posting a drop's message, editing it into
 * the reveal, and what those messages look like.
 */
import { ActionRowBuilder, ButtonBuilder, EmbedBuilder } from '@discordjs/builders';
import { ButtonStyle, type Client, type GuildTextBasedChannel } from 'discord.js';
import type { Logger } from '../../clock.ts';
import type { DropMessages } from '../../daily/drops.ts';
import type { Card } from '../../deck/types.ts';
import { revealCounts, TRIES_PER_DROP, type OpenDrop } from '../../engine/drop.ts';
import { filesOf, picture, withPicture, type PictureDeps } from '../pictures.ts';
import { customId } from '../custom-id.ts';
import { answeredSentence, answerText, cardLocation, clip, COLORS, howToAnswer, plain, promptMarkdown } from '../render.ts';

/** The reveal is no reply to anyone: its picture may take longer than an interaction's. */
const REVEAL_PICTURE_MS = 10_000;

/** `pictures`: for the reveal's chart, with the server's images setting. */
export function discordDropMessages(client: Client, logger: Logger, pictures: PictureDeps): DropMessages {
  const channel = async (channelId: string): Promise<GuildTextBasedChannel | undefined> => {
    const found = await client.channels.fetch(channelId).catch(() => null);
    return found && found.isTextBased() && 'guild' in found && found.isSendable() ? found : undefined;
  };
  return {
    async post(channelId, drop) {
      const target = await channel(channelId);
      if (!target) return { ok: false, reason: 'no-channel' };
      try {
        const message = await target.send({ embeds: [dropEmbed(drop.card, drop.postedAt, drop.previous)], components: [answerRow(drop.id)] });
        return { ok: true, messageId: message.id };
      } catch (error) {
        logger.warn(`could not post the daily drop in channel ${channelId}: ${(error as Error).message}`);
        return { ok: false, reason: 'send-failed' };
      }
    },
    async reveal(drop, guildId) {
      try {
        const target = await channel(drop.channelId);
        if (!target) return;
        const image = await picture(pictures, guildId, { kind: 'daily-reveal', input: { title: `${drop.day} · ${cardLocation(drop.card)}`, ...revealCounts(drop) } }, 'daily-reveal.png', REVEAL_PICTURE_MS);
        // Edited by id: editing its own message needs no access to the channel's history.
        const edit = (shown: typeof image) => target.messages.edit(drop.messageId, { embeds: [withPicture(revealEmbed(drop), shown)], files: filesOf(shown), components: [] });
        // Where the picture cannot go (say Attach Files is denied), the answer is still revealed.
        await edit(image).catch((error: unknown) => {
          if (!image) throw error;
          logger.warn(`the daily reveal ${drop.id} went out without its picture: ${(error as Error).message}`);
          return edit(undefined);
        });
      } catch (error) {
        logger.warn(`could not reveal the daily drop ${drop.id}: ${(error as Error).message}`);
      }
    },
  };
}

function dropEmbed(card: Card, postedAt: number, previous?: OpenDrop) {
  const embed = new EmbedBuilder()
    .setColor(COLORS.question)
    .setTitle('Question of the day')
    .setDescription(clip(promptMarkdown(card), 4000))
    .addFields(
      { name: 'Deck', value: clip(plain(card.deck), 1024), inline: true },
      { name: 'Section', value: clip(plain(card.section || '—'), 1024), inline: true },
      { name: 'How to answer', value: `Press **Answer**: only you see your answer and the verdict. ${TRIES_PER_DROP} tries. ${howToAnswer(card, 'modal')}` },
    )
    .setFooter({ text: 'The answer is revealed with the next question.' })
    .setTimestamp(postedAt);
  if (previous) embed.addFields({ name: 'Previous question', value: previousText(previous) });
  return embed.toJSON();
}

/** The previous drop's sentence with its answer in bold, and who solved it. */
export function previousText(drop: OpenDrop): string {
  const solved = solvedBy(drop);
  return `${clip(answeredSentence(drop.card), 1024 - solved.length - 3)} — ${solved}`;
}

function solvedBy(drop: OpenDrop): string {
  const n = drop.solvers.length;
  const first = drop.solvers[0];
  if (n === 0 || !first) return 'nobody solved it.';
  return `solved by ${n} member${n === 1 ? '' : 's'}, first: ${clip(plain(first.name), 100)}.`;
}

function answerRow(dropId: string) {
  return new ActionRowBuilder<ButtonBuilder>().addComponents(new ButtonBuilder().setCustomId(customId('daily', 'answer', dropId)).setLabel('Answer').setStyle(ButtonStyle.Primary)).toJSON();
}

function revealEmbed(drop: OpenDrop) {
  const first = drop.solvers[0];
  const n = drop.solvers.length;
  return new EmbedBuilder()
    .setColor(COLORS.revealed)
    .setTitle('Question of the day · answer')
    .setDescription(clip(plain(drop.card.text), 4000))
    .addFields(
      { name: 'Answer', value: clip(plain(answerText(drop.card)), 1024) },
      { name: 'Solved by', value: n === 0 ? 'Nobody this time.' : `${n} member${n === 1 ? '' : 's'}; first: ${clip(plain(first?.name ?? ''), 100)}` },
    )
    .setTimestamp(drop.postedAt)
    .toJSON();
}
