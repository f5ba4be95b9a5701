import { EmbedBuilder, SlashCommandBuilder } from '@discordjs/builders';
import { InteractionContextType, MessageFlags, PermissionFlagsBits, type APIEmbed } from 'discord.js';
import { dayRange, periodLabel, periodRange } from '../../competition/periods.ts';
import { normalizeName } from '../../deck/parse.ts';
import { classView, sentenceWithBlank, type CardStats, type ClassMember, type ClassView, type SectionMastery } from '../../study/class-view.ts';
import { classDecks, classMembers } from '../class-members.ts';
import type { Command } from '../command.ts';
import { filesOf, picture, withPicture } from '../pictures.ts';
import { isUserError } from '../reply.ts';
import { clip, COLORS, plain } from '../render.ts';
import { suggestDecks } from './shared.ts';

/** Discord's limit for an embed field's value. */
const FIELD_MAX = 1024;
/** How long a card's sentence may be in the hardest cards list. */
const SENTENCE_MAX = 160;

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** As many of `items` as fit in `max` characters, joined by `separator`, then "… and N more" (an item longer than half of `max` is clipped). */
export function fitList(items: readonly string[], separator: string, max = FIELD_MAX): string {
  let out = '';
  for (let i = 0; i < items.length; i++) {
    const item = clip(items[i] as string, Math.floor(max / 2));
    const next = i === 0 ? item : `${out}${separator}${item}`;
    const rest = items.length - i - 1;
    if (next.length + (rest > 0 ? `${separator}… and ${rest} more`.length : 0) > max) return `${out}${separator}… and ${items.length - i} more`;
    out = next;
  }
  return out;
}

function sectionName(s: Pick<SectionMastery, 'deck' | 'section'>): string {
  return plain(s.section ? `${s.deck} · ${s.section}` : s.deck, 200);
}

function hardestLine(s: CardStats, i: number): string {
  const accuracy = pct(s.firstTryAccuracy ?? 0);
  return `${i + 1}. **${accuracy}** right at first try · ${plural(s.attempts, 'attempt')} · recall ${pct(s.meanRecall)}\n${plain(clip(sentenceWithBlank(s.card), SENTENCE_MAX))}`;
}

function names(members: readonly ClassMember[]): string {
  return members.length === 0 ? 'Nobody.' : fitList(members.map((m) => plain(m.name, 100)), ', ');
}

export interface ClassEmbedInput {
  readonly view: ClassView;
  /** What the view covers, e.g. "mlops" or "every deck". */
  readonly title: string;
  /** e.g. "this week (Mon 23 Nov – Sun 29 Nov)". */
  readonly week: string;
}

/** The teacher's view as an embed (the mastery chart, when there is one, is added as its image). */
export function classEmbed({ view, title, week }: ClassEmbedInput): APIEmbed {
  const embed = new EmbedBuilder().setColor(COLORS.question).setTitle(clip(`Class · ${title}`, 256));
  const members = view.studied.length + view.notStudied.length;
  if (members === 0) {
    return embed.setDescription('Nobody has studied these cards yet. Members who answer in `/quiz` rounds, the daily question or `/practice` show up here.').toJSON();
  }
  const due = view.dueToday.cards === 0 ? 'no card is due for the class today.' : `${plural(view.dueToday.cards, 'card')} due for the class today (${plural(view.dueToday.reviews, 'review')} by the end of the day).`;
  embed.setDescription(
    [`**${view.studied.length} of ${plural(members, 'member')}** studied ${week}.`, `**Due today:** ${due}`].join('\n'),
  );

  const seen = view.sections.filter((s) => s.seen > 0);
  const notStarted = view.sections.filter((s) => s.seen === 0);
  const sectionLines = [
    ...seen.map((s) => `${sectionName(s)}: **${pct(s.meanRecall)}** · ${plural(s.members, 'member')} · ${s.seen} of ${plural(s.cards, 'card')} tried`),
    ...(notStarted.length > 0 ? [`Not started: ${notStarted.map(sectionName).join(', ')}`] : []),
  ];
  embed.addFields(
    {
      name: 'Hardest cards (lowest first-try accuracy, 3+ attempts)',
      value: view.hardest.length > 0 ? fitList(view.hardest.map(hardestLine), '\n') : 'No card has 3 attempts yet.',
    },
    { name: 'Sections by mastery (mean predicted recall, weakest first)', value: fitList(sectionLines, '\n') },
    { name: `Studied this week (${view.studied.length})`, value: names(view.studied) },
    { name: `Not studied this week (${view.notStudied.length})`, value: names(view.notStudied) },
  );
  return embed.toJSON();
}

export const classCommand: Command = {
  data: new SlashCommandBuilder()
    .setName('class')
    .setDescription("The class's progress: hardest cards, sections, who studied this week (Manage Server)")
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addStringOption((o) => o.setName('deck').setDescription('A course (e.g. mlops) or a full deck name; default: every deck').setAutocomplete(true).setMaxLength(100)),

  async execute(interaction, ctx) {
    const query = interaction.options.getString('deck')?.trim() || null;
    const decks = classDecks(ctx.library, query);
    if (isUserError(decks)) return decks;
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const now = ctx.clock.now();
    const timeZone = await ctx.daily.timeZoneOf(interaction.guildId);
    const members = await classMembers(ctx, interaction.guild, decks);
    const view = classView({
      cards: decks.flatMap((d) => d.cards),
      members,
      now,
      weekStart: periodRange('week', new Date(now), timeZone).from,
      dayEnd: dayRange(new Date(now), timeZone).to,
    });
    const title = query ? normalizeName(query) : 'every deck';
    const sections = view.sections.filter((s) => s.seen > 0).map(({ deck, section, meanRecall, members: n }) => ({ deck, section, mastery: meanRecall, members: n }));
    const image = sections.length > 0 ? await picture(ctx, interaction.guildId, { kind: 'mastery', input: { title, sections } }, 'mastery.png') : undefined;
    const embed = classEmbed({ view, title, week: periodLabel('week', new Date(now), timeZone) });
    await interaction.editReply({ embeds: [withPicture(embed, image)], files: filesOf(image) });
  },

  async autocomplete(interaction, ctx) {
    await interaction.respond(suggestDecks(ctx.library, interaction.options.getFocused()));
  },
};
