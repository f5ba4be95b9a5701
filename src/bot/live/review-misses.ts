/**
 * The Review my misses button of a live round's summary: for the member who
 * presses it, a private practice session of the round's cards they missed or
 * did not answer right. `misses:<round id>`.
 */
import { ActionRowBuilder, ButtonBuilder } from '@discordjs/builders';
import { ButtonStyle, MessageFlags, type APIActionRowComponent, type APIButtonComponent } from 'discord.js';
import { roundReviewKey } from '../../storage/keys.ts';
import { missesOf, type RoundReview } from '../../study/reviews.ts';
import type { ComponentHandler } from '../command.ts';
import { customId } from '../custom-id.ts';
import { startPractice } from '../practice/sessions.ts';
import { userError } from '../reply.ts';

export function reviewMissesButton(roundId: string): APIActionRowComponent<APIButtonComponent>[] {
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder().setCustomId(customId('misses', roundId)).setLabel('Review my misses').setStyle(ButtonStyle.Primary),
  );
  return [row.toJSON()];
}

export const reviewMisses: ComponentHandler = {
  prefix: 'misses',

  async button(interaction, [roundId = ''], ctx) {
    const review = await ctx.store.get<RoundReview>(roundReviewKey(interaction.guildId, roundId));
    if (!review) return userError('The review of this round is no longer available. Use /practice to study your due cards.');
    const misses = missesOf(review, interaction.user.id);
    if (misses.length === 0) {
      await interaction.reply({ content: 'You answered every question of this round right: nothing to review. /practice has your due cards.', flags: MessageFlags.Ephemeral });
      return;
    }
    return startPractice(ctx, interaction, { deck: null, section: null, only: misses });
  },
};
