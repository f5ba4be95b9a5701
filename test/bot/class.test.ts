import { describe, expect, it } from 'vitest';
import { classEmbed, fitList } from '../../src/bot/commands/class.ts';
import type { ClassView } from '../../src/study/class-view.ts';
import { makeCard } from '../engine/cards.ts';

describe('fitList', () => {
  it('keeps every item when they fit', () => {
    expect(fitList(['Ana', 'Ben', 'Cleo'], ', ')).toBe('Ana, Ben, Cleo');
  });

  it('ends with how many more there are when they do not fit', () => {
    const names = Array.from({ length: 300 }, (_, i) => `Student ${String(i + 1).padStart(3, '0')}`);
    const text = fitList(names, ', ');
    expect(text.length).toBeLessThanOrEqual(1024);
    const shown = text.split(', ').filter((n) => n.startsWith('Student'));
    expect(text.endsWith(`, … and ${300 - shown.length} more`)).toBe(true);
    expect(shown).toEqual(names.slice(0, shown.length));
  });
});

describe("the /class embed of a large class", () => {
  const member = (i: number) => ({ id: String(i), name: `${'Very long display name '.repeat(3)}${i}`, records: [] });
  const card = makeCard(['answer'], `${'A long sentence about machine learning operations. '.repeat(20)}{0}`);
  const stats = { card, seenBy: 10, meanRecall: 0.5, knownBy: 2, attempts: 30, firstTryRight: 1, dueFor: 3, firstTryAccuracy: 0.1 };
  const view: ClassView = {
    hardest: Array.from({ length: 5 }, () => stats),
    sections: Array.from({ length: 60 }, (_, i) => ({ deck: 'mlops wk9', section: `Section with a rather long title number ${i}`, cards: 10, seen: i % 2 === 0 ? 5 : 0, meanRecall: 0.5, members: 40 })),
    studied: Array.from({ length: 400 }, (_, i) => member(i)),
    notStudied: Array.from({ length: 400 }, (_, i) => member(1000 + i)),
    dueToday: { cards: 120, reviews: 900 },
  };

  it("keeps every field within Discord's limits and says how many names are left out", () => {
    const embed = classEmbed({ view, title: 'mlops', week: 'this week (Mon 23 Nov – Sun 29 Nov)' });
    for (const f of embed.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(1024);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(4096);
    const total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
    expect(total).toBeLessThanOrEqual(6000);
    expect(embed.fields?.find((f) => f.name === 'Studied this week (400)')?.value).toMatch(/… and \d+ more$/);
    expect(embed.description).toContain('**400 of 800 members** studied this week');
  });
});
