import { describe, expect, it } from 'vitest';
import { fitBody, fitMessage, LIMITS } from '../../src/bot/fit.ts';

const long = (n: number) => 'x'.repeat(n);

describe('fitMessage', () => {
  it('clips content, embed texts and button labels to their limits', () => {
    const message = fitMessage({
      content: long(6000),
      embeds: [{ title: long(300), description: long(5000), fields: [{ name: long(300), value: long(2000) }], footer: { text: long(3000) }, author: { name: long(300) } }],
      components: [{ type: 1, components: [{ type: 2, label: long(100), custom_id: 'a' }] }],
    });
    expect((message['content'] as string).length).toBe(LIMITS.content);
    const embed = (message['embeds'] as Record<string, any>[])[0]!;
    expect(embed['title'].length).toBe(LIMITS.embedTitle);
    expect(embed['fields'][0].name.length).toBe(LIMITS.fieldName);
    expect(embed['fields'][0].value.length).toBe(LIMITS.fieldValue);
    expect(embed['footer'].text.length).toBe(LIMITS.footerText);
    expect(embed['author'].name.length).toBe(LIMITS.authorName);
    const total = embed['title'].length + embed['description'].length + embed['fields'][0].name.length + embed['fields'][0].value.length + embed['footer'].text.length + embed['author'].name.length;
    expect(total).toBeLessThanOrEqual(LIMITS.embedsTotal);
    expect((message['components'] as any[])[0].components[0].label.length).toBe(LIMITS.buttonLabel);
  });

  it('keeps the 6,000-character total across several embeds by shortening descriptions', () => {
    const message = fitMessage({ embeds: [{ description: long(4000) }, { description: long(4000) }] });
    const [a, b] = message['embeds'] as { description: string }[];
    expect(a!.description.length + b!.description.length).toBeLessThanOrEqual(LIMITS.embedsTotal);
  });

  it('leaves a body within limits unchanged', () => {
    const body = { content: 'hi', embeds: [{ title: 't', description: 'd', fields: [{ name: 'n', value: 'v' }] }] };
    expect(fitMessage(structuredClone(body))).toEqual(body);
  });
});

describe('fitBody', () => {
  it.each([
    ['a channel message', 'POST', '/api/v10/channels/1/messages'],
    ['an edit', 'PATCH', '/api/v10/channels/1/messages/2'],
    ['a follow-up', 'POST', '/api/v10/webhooks/1/tok'],
    ['an edit of the original reply', 'PATCH', '/api/v10/webhooks/1/tok/messages/@original'],
  ])('fits %s', (_, method, path) => {
    expect((fitBody(method, path, { content: long(3000) }) as { content: string }).content.length).toBe(LIMITS.content);
  });

  it('fits interaction answers and autocomplete choices', () => {
    const path = '/api/v10/interactions/1/tok/callback';
    expect((fitBody('POST', path, { type: 4, data: { content: long(3000) } }) as any).data.content.length).toBe(LIMITS.content);
    const choices = (fitBody('POST', path, { type: 8, data: { choices: [{ name: long(200), value: long(200) }] } }) as any).data.choices;
    expect(choices[0].name.length).toBe(LIMITS.choice);
    expect(choices[0].value.length).toBe(LIMITS.choice);
  });

  it('leaves other requests alone', () => {
    const commands = [{ name: 'quiz', description: long(3000) }];
    expect(fitBody('PUT', '/api/v10/applications/1/commands', commands)).toBe(commands);
    const body = { content: long(3000) };
    expect(fitBody('POST', '/api/v10/guilds/1/roles', body)).toEqual({ content: long(3000) });
  });
});
