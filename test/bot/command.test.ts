import { SlashCommandBuilder } from '@discordjs/builders';
import { describe, expect, it } from 'vitest';
import { uniqueCommands, type Command } from '../../src/bot/command.ts';
import { customId } from '../../src/bot/custom-id.ts';
import { commandDefinitions, commands, components } from '../../src/bot/commands/index.ts';

const ok = {
  data: new SlashCommandBuilder().setName('ping').setDescription('Ping'),
  execute: async () => undefined,
} satisfies Command;

describe('the command list', () => {
  it('accepts commands with distinct names', () => {
    expect(uniqueCommands([ok]).map((c) => c.data.name)).toEqual(['ping']);
  });

  it('refuses two commands with the same name', () => {
    expect(() => uniqueCommands([ok, ok])).toThrow('two commands are named /ping');
  });

  it('the bot registers eleven commands and one handler per component prefix', () => {
    expect(commands.map((c) => c.data.name)).toEqual(['quiz', 'decks', 'leaderboard', 'daily', 'stats', 'season', 'export', 'practice', 'settings', 'class', 'deck']);
    const prefixes = components.map((c) => c.prefix);
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const definition of commandDefinitions()) {
      expect(definition.description.length).toBeGreaterThan(0);
      expect(definition.description.length).toBeLessThanOrEqual(100);
    }
  });
});

describe('custom ids', () => {
  it('joins the prefix and arguments', () => {
    expect(customId('quiz', 'hint', '123')).toBe('quiz:hint:123');
  });

  it('refuses ids longer than Discord allows', () => {
    expect(() => customId('lb', 'x'.repeat(98))).toThrow('custom id too long');
  });
});
