/**
 * Private practice sessions over Discord: `/practice` and Review my misses
 * start one, its buttons and answer form move it on. The session lives in the
 * store (`practice:<server>:<member>`), so its buttons keep working after a
 * restart; a stale button says the session ended and how to start again.
 */
import { ActionRowBuilder, ModalBuilder, TextInputBuilder } from '@discordjs/builders';
import { MessageFlags, TextInputStyle, type ButtonInteraction, type ChatInputCommandInteraction, type InteractionUpdateOptions, type ModalSubmitInteraction } from 'discord.js';
import type { Card } from '../../deck/types.ts';
import { addDays, localDay, startOfLocalDay } from '../../schedule/time.ts';
import { practiceSessionKey } from '../../storage/keys.ts';
import type { PracticeDay } from '../../study/practice.ts';
import { addHint, ask, finishCard, newSession, nextCard, type PracticeSession } from '../../study/session.ts';
import type { ComponentHandler, Outcome } from '../command.ts';
import type { BotContext } from '../context.ts';
import { customId } from '../custom-id.ts';
import { userError } from '../reply.ts';
import { endText, newCardsButton, practiceButtons, practiceEmbed, PRACTICE_PREFIX, SESSION_ENDED, verdictLine, whatsNext } from './render.ts';
import { readSettings } from '../../storage/settings.ts';

type Payload = { content: string; embeds: InteractionUpdateOptions['embeds']; components: InteractionUpdateOptions['components'] };

interface Where {
  readonly guildId: string;
  readonly userId: string;
}

function pool(ctx: BotContext, session: Pick<PracticeSession, 'deck' | 'section' | 'only'>): Card[] {
  if (session.deck === null || session.only) return ctx.library.decks.flatMap((d) => d.cards);
  return ctx.library.cards(session.deck, session.section ?? undefined) ?? [];
}

async function memberDay(ctx: BotContext, guildId: string, now: number): Promise<PracticeDay> {
  const tz = await ctx.daily.timeZoneOf(guildId);
  const day = localDay(new Date(now), tz);
  return { start: startOfLocalDay(day, tz).getTime(), end: startOfLocalDay(addDays(day, 1), tz).getTime() };
}

async function nextInput(ctx: BotContext, where: Where, cards: readonly Card[]) {
  const now = ctx.clock.now();
  const decks = [...new Set(cards.map((c) => c.deck))];
  return {
    pool: cards,
    records: await ctx.memory.memoryOfDecks(where.guildId, where.userId, decks),
    now,
    day: await memberDay(ctx, where.guildId, now),
    newCap: (await readSettings(ctx.store, where.guildId)).newCards,
  };
}

/** Asks the session's next card (saving the session), or ends it (removing it); `before` goes first (a verdict). */
async function step(ctx: BotContext, where: Where, session: PracticeSession, before?: string): Promise<Payload> {
  const input = await nextInput(ctx, where, pool(ctx, session));
  const next = nextCard(session, input);
  const key = practiceSessionKey(where.guildId, where.userId);
  const prefix = before ? `${before}\n\n` : '';
  if (next.kind === 'card') {
    const asked = ask(session, next.card, next.isNew);
    await ctx.store.set(key, asked);
    return { content: prefix.trim(), embeds: [practiceEmbed(next.card, session.reviewed + 1, 0, next.isNew)], components: practiceButtons(session.id) };
  }
  await ctx.store.delete(key);
  return { content: prefix + endText({ reviewed: session.reviewed, right: session.right, nextDue: next.nextDue, capReached: next.capReached, resetsAt: next.resetsAt, newCap: input.newCap }), embeds: [], components: [] };
}

/**
 * `/practice`: starts a session with the cards due now (then new cards). With
 * nothing due it says when the next card is and offers the new cards allowed today.
 */
export async function startPractice(
  ctx: BotContext,
  interaction: ChatInputCommandInteraction<'cached'> | ButtonInteraction<'cached'>,
  options: { deck: string | null; section: string | null; only?: readonly string[] },
): Promise<Outcome> {
  const where = { guildId: interaction.guildId, userId: interaction.user.id };
  return ctx.store.exclusive(practiceSessionKey(where.guildId, where.userId), async () => {
    let session = newSession(interaction.id, { ...options, includeNew: false });
    if (!options.only) {
      const input = await nextInput(ctx, where, pool(ctx, session));
      const due = nextCard(session, input);
      if (due.kind === 'done') {
        const intro = `Nothing is due for review now.\n${whatsNext({ ...due, newCap: input.newCap })}`;
        if (due.newLeft === 0) {
          await interaction.reply({ content: intro, flags: MessageFlags.Ephemeral });
          return;
        }
        session = { ...session, includeNew: true };
        await ctx.store.set(practiceSessionKey(where.guildId, where.userId), session);
        await interaction.reply({ content: `${intro}\nYou can start ${due.newLeft} new card${due.newLeft === 1 ? '' : 's'} today.`, components: newCardsButton(session.id, due.newLeft), flags: MessageFlags.Ephemeral });
        return;
      }
      session = { ...session, includeNew: true };
    }
    const payload = await step(ctx, where, session);
    await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
  });
}

/** The member's stored session when `sessionId` is still it. */
async function current(ctx: BotContext, where: Where, sessionId: string): Promise<PracticeSession | undefined> {
  const session = await ctx.store.get<PracticeSession>(practiceSessionKey(where.guildId, where.userId));
  return session?.id === sessionId ? session : undefined;
}

function currentCard(ctx: BotContext, session: PracticeSession): Card | undefined {
  const id = session.current?.cardId;
  return id === undefined ? undefined : ctx.library.decks.flatMap((d) => d.cards).find((c) => c.id === id);
}

/** Records the member's answer or Skip on the current card, shows the verdict and the next card. */
async function finish(ctx: BotContext, where: Where, session: PracticeSession, reply: string | null): Promise<Payload | undefined> {
  const card = currentCard(ctx, session);
  if (!card) {
    const { current: _gone, ...rest } = session;
    return step(ctx, where, rest, 'That card is no longer in the decks.');
  }
  const done = finishCard(session, card, reply);
  await ctx.memory.record(where.guildId, [{ userId: where.userId, card, rating: done.result.rating, source: 'practice', at: ctx.clock.now() }]);
  return step(ctx, where, done.session, verdictLine(card, done.result));
}

export const practiceButtonsHandler: ComponentHandler = {
  prefix: PRACTICE_PREFIX,

  async button(interaction, [action = '', sessionId = ''], ctx) {
    const where = { guildId: interaction.guildId, userId: interaction.user.id };
    return ctx.store.exclusive(practiceSessionKey(where.guildId, where.userId), async (): Promise<Outcome> => {
      const session = await current(ctx, where, sessionId);
      if (!session) return userError(SESSION_ENDED);
      if (action === 'new') {
        await interaction.update(await step(ctx, where, session));
        return;
      }
      const card = currentCard(ctx, session);
      if (action === 'stop') {
        await ctx.store.delete(practiceSessionKey(where.guildId, where.userId));
        const input = await nextInput(ctx, where, pool(ctx, session));
        const after = nextCard({ ...session, includeNew: false }, input);
        const nextDue = after.kind === 'card' ? input.now : after.nextDue;
        await interaction.update({ content: endText({ reviewed: session.reviewed, right: session.right, nextDue, capReached: false, resetsAt: input.day.end, newCap: input.newCap }), embeds: [], components: [] });
        return;
      }
      if (!session.current || !card) return userError(SESSION_ENDED);
      if (action === 'answer') {
        const modal = new ModalBuilder()
          .setCustomId(customId(PRACTICE_PREFIX, 'submit', session.id))
          .setTitle('Practice')
          .addComponents(
            new ActionRowBuilder<TextInputBuilder>().addComponents(
              new TextInputBuilder().setCustomId('answer').setLabel(card.answers.length > 1 ? `${card.answers.length} missing parts, in order, comma-separated` : 'The missing words').setStyle(TextInputStyle.Short).setRequired(true).setMaxLength(300),
            ),
          );
        await interaction.showModal(modal);
        return;
      }
      if (action === 'hint') {
        const hinted = addHint(session);
        if (!hinted) return userError('No more hints for this card.');
        await ctx.store.set(practiceSessionKey(where.guildId, where.userId), hinted);
        await interaction.update({ embeds: [practiceEmbed(card, session.reviewed + 1, hinted.current?.hints ?? 0, session.current.isNew)] });
        return;
      }
      if (action === 'skip') {
        const payload = await finish(ctx, where, session, null);
        if (payload) await interaction.update(payload);
        return;
      }
      return userError('Unknown button.');
    });
  },

  async modal(interaction: ModalSubmitInteraction<'cached'>, [action = '', sessionId = ''], ctx) {
    if (action !== 'submit') return userError('Unknown form.');
    const where = { guildId: interaction.guildId, userId: interaction.user.id };
    return ctx.store.exclusive(practiceSessionKey(where.guildId, where.userId), async (): Promise<Outcome> => {
      const session = await current(ctx, where, sessionId);
      if (!session?.current) return userError(SESSION_ENDED);
      const payload = await finish(ctx, where, session, interaction.fields.getTextInputValue('answer'));
      if (!payload) return;
      if (interaction.isFromMessage()) await interaction.update(payload);
      else await interaction.reply({ ...payload, flags: MessageFlags.Ephemeral });
    });
  },
};
