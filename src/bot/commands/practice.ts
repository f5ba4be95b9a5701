import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord.js';
import type { Command } from '../command.ts';
import { startPractice } from '../practice/sessions.ts';
import { deckNotFound, sectionNotFound, suggestDecks, suggestSections } from './shared.ts';

export const practice: Command = {
  data: new SlashCommandBuilder()
    .setName('practice')
    .setDescription('Practise on your own: the cards you are about to forget, then new ones (only you see it)')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('deck').setDescription('A course (e.g. mlops) or a full deck name; default: every deck').setAutocomplete(true).setMaxLength(100))
    .addStringOption((o) => o.setName('section').setDescription('Only this section of the deck').setAutocomplete(true).setMaxLength(100)),

  async execute(interaction, ctx) {
    const deck = interaction.options.getString('deck')?.trim() || null;
    const section = interaction.options.getString('section')?.trim() || null;
    if (deck !== null) {
      const cards = ctx.library.cards(deck, section ?? undefined);
      if (!cards) return deckNotFound(ctx.library, deck);
      if (cards.length === 0) return sectionNotFound(ctx.library, deck, section ?? '');
    }
    return startPractice(ctx, interaction, { deck, section: deck === null ? null : section });
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const choices = focused.name === 'section' ? suggestSections(ctx.library, interaction.options.getString('deck') ?? '', focused.value) : suggestDecks(ctx.library, focused.value);
    await interaction.respond(choices);
  },
};
