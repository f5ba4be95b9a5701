/**
 * Discord's size limits, applied once at the edge: every message body the bot
 * sends (channel messages, interaction answers and their edits, follow-ups,
 * autocomplete choices) passes through `fitBody` on its way to the REST API, so
 * no text, wherever it came from (season names, deck and section names, display
 * names, echoed replies), can make a body Discord refuses. Renderers clip their
 * own fields for looks; this is the rule that holds whatever they do. Pure.
 */
import { clip } from './render.ts';

export const LIMITS = {
  content: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedsTotal: 6000,
  choice: 100,
  buttonLabel: 80,
} as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function fitText(holder: Json, key: string, max: number): number {
  const value = holder[key];
  if (typeof value !== 'string') return 0;
  holder[key] = clip(value, max);
  return (holder[key] as string).length;
}

/** Clips one embed's fields to their limits, and its description to `budget`; returns its size. */
function fitEmbed(embed: Json, budget: number): number {
  let size = fitText(embed, 'title', LIMITS.embedTitle);
  if (isObject(embed['footer'])) size += fitText(embed['footer'], 'text', LIMITS.footerText);
  if (isObject(embed['author'])) size += fitText(embed['author'], 'name', LIMITS.authorName);
  for (const field of Array.isArray(embed['fields']) ? embed['fields'] : []) {
    if (!isObject(field)) continue;
    size += fitText(field, 'name', LIMITS.fieldName);
    size += fitText(field, 'value', LIMITS.fieldValue);
  }
  size += fitText(embed, 'description', Math.max(1, Math.min(LIMITS.embedDescription, budget - size)));
  return size;
}

function fitComponents(components: unknown): void {
  if (!Array.isArray(components)) return;
  for (const component of components) {
    if (!isObject(component)) continue;
    fitText(component, 'label', LIMITS.buttonLabel);
    fitComponents(component['components']);
  }
}

/** A message payload (`content`, `embeds`, `components`) within Discord's limits; changed in place. */
export function fitMessage(message: Json): Json {
  fitText(message, 'content', LIMITS.content);
  let budget = LIMITS.embedsTotal;
  for (const embed of Array.isArray(message['embeds']) ? message['embeds'] : []) {
    if (isObject(embed)) budget -= fitEmbed(embed, budget);
  }
  fitComponents(message['components']);
  return message;
}

/**
 * A request body within Discord's limits: message bodies, interaction callbacks
 * (message data, autocomplete choices). Other bodies are returned as they are.
 */
export function fitBody(method: string, path: string, body: unknown): unknown {
  if (!isObject(body) || (method !== 'POST' && method !== 'PATCH')) return body;
  if (/\/interactions\/[^/]+\/[^/]+\/callback$/.test(path)) {
    const data = body['data'];
    if (!isObject(data)) return body;
    if (Array.isArray(data['choices'])) {
      for (const choice of data['choices']) {
        if (!isObject(choice)) continue;
        fitText(choice, 'name', LIMITS.choice);
        fitText(choice, 'value', LIMITS.choice);
      }
    } else {
      fitMessage(data);
    }
    return body;
  }
  if (/\/channels\/[^/]+\/messages(\/[^/]+)?$/.test(path) || /\/webhooks\/[^/]+\/[^/]+(\/messages\/[^/]+)?$/.test(path)) return fitMessage(body);
  return body;
}
