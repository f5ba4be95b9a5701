import { SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType } from 'discord.js';
import type { Command } from '../command.ts';
import { fewerNotesNote } from '../../engine/select.ts';
import { chooseForClass, FOCUSES } from '../../study/class-choice.ts';
import { replyOnce, userError } from '../reply.ts';
import { plain } from '../render.ts';
import { deckNotFound, missingPermissions, ROUND_PERMISSIONS, sectionNotFound, suggestDecks, suggestSections } from './shared.ts';

export const QUIZ_LIMITS = { questions: { min: 1, max: 50, default: 5 }, seconds: { min: 10, max: 300, default: 30 }, pause: { min: 0, max: 15, default: 4 } } as const;

export const quiz: Command = {
  data: new SlashCommandBuilder()
    .setName('quiz')
    .setDescription('Start a live round of cloze questions in this channel')
    .setContexts(InteractionContextType.Guild)
    .addStringOption((o) => o.setName('deck').setDescription('A course (e.g. mlops) or a full deck name (e.g. mlops wk9)').setRequired(true).setAutocomplete(true).setMaxLength(100))
    .addIntegerOption((o) => o.setName('questions').setDescription(`How many questions (default ${QUIZ_LIMITS.questions.default})`).setMinValue(QUIZ_LIMITS.questions.min).setMaxValue(QUIZ_LIMITS.questions.max))
    .addIntegerOption((o) => o.setName('seconds').setDescription(`Seconds per question (default ${QUIZ_LIMITS.seconds.default})`).setMinValue(QUIZ_LIMITS.seconds.min).setMaxValue(QUIZ_LIMITS.seconds.max))
    .addStringOption((o) => o.setName('section').setDescription('Only this section of the deck').setAutocomplete(true).setMaxLength(100))
    .addIntegerOption((o) => o.setName('pause').setDescription(`Seconds between a question and the next (default ${QUIZ_LIMITS.pause.default})`).setMinValue(QUIZ_LIMITS.pause.min).setMaxValue(QUIZ_LIMITS.pause.max))
    .addStringOption((o) =>
      o
        .setName('focus')
        .setDescription('Which cards: mixed (default), weak (the class’s weakest), new (nobody asked yet)')
        .addChoices({ name: 'mixed: weakest cards and new ones', value: 'mixed' }, { name: 'weak: the class’s weakest cards', value: 'weak' }, { name: 'new: cards nobody has tried', value: 'new' }),
    ),

  async execute(interaction, ctx) {
    const deck = interaction.options.getString('deck', true);
    const section = interaction.options.getString('section') ?? undefined;
    const questions = interaction.options.getInteger('questions') ?? QUIZ_LIMITS.questions.default;
    const seconds = interaction.options.getInteger('seconds') ?? QUIZ_LIMITS.seconds.default;
    const pause = interaction.options.getInteger('pause') ?? QUIZ_LIMITS.pause.default;
    if (questions < QUIZ_LIMITS.questions.min || questions > QUIZ_LIMITS.questions.max) {
      return userError(`questions must be a whole number from ${QUIZ_LIMITS.questions.min} to ${QUIZ_LIMITS.questions.max}.`);
    }
    if (pause < QUIZ_LIMITS.pause.min || pause > QUIZ_LIMITS.pause.max) {
      return userError(`pause must be a whole number of seconds from ${QUIZ_LIMITS.pause.min} to ${QUIZ_LIMITS.pause.max}.`);
    }
    if (seconds < QUIZ_LIMITS.seconds.min || seconds > QUIZ_LIMITS.seconds.max) {
      return userError(`seconds must be a whole number from ${QUIZ_LIMITS.seconds.min} to ${QUIZ_LIMITS.seconds.max}.`);
    }
    const pool = ctx.library.cards(deck, section);
    if (!pool) return deckNotFound(ctx.library, deck);
    if (pool.length === 0) return sectionNotFound(ctx.library, deck, section ?? '');
    const channel = interaction.channel;
    if (!channel) return userError('I cannot see this channel. Check that I may view it and send messages here.');
    const missing = missingPermissions(interaction.appPermissions, ROUND_PERMISSIONS);
    if (missing.length) return userError(`I cannot run a round in this channel: I am missing ${missing.join(', ')} here. Ask a moderator to allow them, or use another channel.`);
    const focusText = interaction.options.getString('focus') ?? 'mixed';
    const focus = FOCUSES.find((f) => f === focusText);
    if (!focus) return userError('focus must be mixed, weak or new.');
    const now = ctx.clock.now();
    const records = await ctx.memory.classRecords(interaction.guildId, [...new Set(pool.map((c) => c.deck))]);
    const cards = chooseForClass({ cards: pool, records, now, count: questions, seed: `${interaction.guildId}:${deck}:${section ?? ''}:${now}`, focus });
    if (cards.length === 0) {
      return userError(focus === 'weak' ? 'Nobody in this server has tried a card of this deck yet: use focus mixed or new.' : 'Every card of this deck has been tried by someone: use focus mixed or weak.');
    }
    const label = section ? `${deck.trim()} · ${section.trim()}` : deck.trim();
    const fewer = focus === 'mixed' ? fewerNotesNote(label, questions, cards.length) : undefined;
    return ctx.rounds.start({
      roundId: interaction.id,
      guildId: interaction.guildId,
      channel,
      startedBy: interaction.user.id,
      startedByName: interaction.member?.displayName ?? interaction.user.displayName,
      cards,
      seconds,
      pause,
      label,
      announce: () =>
        replyOnce(interaction, () =>
          interaction.reply({
            content: `**Quiz: ${plain(label)}**, ${cards.length} question${cards.length === 1 ? '' : 's'}, ${seconds} s each. Reply in this channel; the first right answer scores.${fewer ? `\n${plain(fewer)}` : ''}`,
          }),
        ),
      // By the webhook: it works even when the reply was only acknowledged by a retry.
      withdraw: () => interaction.webhook.deleteMessage('@original'),
    });
  },

  async autocomplete(interaction, ctx) {
    const focused = interaction.options.getFocused(true);
    const choices = focused.name === 'section' ? suggestSections(ctx.library, interaction.options.getString('deck') ?? '', focused.value) : suggestDecks(ctx.library, focused.value);
    await interaction.respond(choices);
  },
};
