import { EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord.js';
import type { Command } from '../command.ts';
import { clip, COLORS, plain } from '../render.ts';
import { cardCount } from '../../deck/library.ts';
import type { Deck } from '../../deck/types.ts';

/** One entry per deck; decks named in `own` (the server's uploads) are marked as this server's. */
export function deckLines(decks: readonly Deck[], own: ReadonlySet<string> = new Set()): string[] {
  return decks.map((deck) => {
    // One section per line: a section name with commas reads as one.
    const sections = deck.sections.map((s) => `- ${s.title ? plain(s.title) : '(no section)'} (${s.cardCount})`).join('\n');
    return `**${plain(deck.name)}**${own.has(deck.name) ? ' (uploaded here)' : ''}: ${cardCount(deck)} cards${sections ? `\n${sections}` : ''}`;
  });
}

export const decks: Command = {
  data: new SlashCommandBuilder().setName('decks').setDescription('The decks you can quiz on, with their sections and card counts').setContexts(InteractionContextType.Guild),

  async execute(interaction, ctx) {
    const all = ctx.library.decks;
    const own = new Set((await ctx.serverDecks.decks(interaction.guildId)).map((d) => d.name));
    const embed = new EmbedBuilder().setColor(COLORS.question).setTitle('Decks');
    if (all.length === 0) {
      embed.setDescription('No decks are loaded yet. The host adds deck files to the decks folder; they show up within a few seconds. Members with Manage Server can upload one for this server with /deck add.');
    } else {
      const courses = ctx.library.courses();
      embed.setDescription(clip(`${deckLines(all, own).join('\n\n')}\n\nStart a round with \`/quiz deck:${courses[0] ?? ''}\` (a course) or a full deck name.${own.size > 0 ? ' Decks marked (uploaded here) are this server’s own (/deck add); other servers do not see them.' : ''}`, 4000));
    }
    await interaction.reply({ embeds: [embed.toJSON()] });
  },
};
