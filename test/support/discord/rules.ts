// Checks Discord enforces (or the product requires) that the OpenAPI spec does not express.
import type { SpecOperation } from './spec.ts';

type Json = Record<string, unknown>;

export interface RuleOptions {
  /** Every message-creating/editing body must carry `allowed_mentions` that pings nobody. */
  requireNoPings: boolean;
}

const MESSAGE_BODY_OPERATIONS = new Set([
  'post /channels/{channel_id}/messages',
  'patch /channels/{channel_id}/messages/{message_id}',
  'post /webhooks/{webhook_id}/{webhook_token}',
  'patch /webhooks/{webhook_id}/{webhook_token}/messages/@original',
  'patch /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}',
]);
const CALLBACK = 'post /interactions/{interaction_id}/{interaction_token}/callback';
const COMMAND_OPERATIONS = new Set([
  'put /applications/{application_id}/commands',
  'post /applications/{application_id}/commands',
  'patch /applications/{application_id}/commands/{command_id}',
  'put /applications/{application_id}/guilds/{guild_id}/commands',
  'post /applications/{application_id}/guilds/{guild_id}/commands',
  'patch /applications/{application_id}/guilds/{guild_id}/commands/{command_id}',
]);

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** Returns the message payload inside a body, if the operation creates or edits a message. */
export function messagePayload(op: SpecOperation, body: unknown): Json | undefined {
  const key = `${op.method} ${op.template}`;
  if (MESSAGE_BODY_OPERATIONS.has(key)) return isObject(body) ? body : undefined;
  if (key === CALLBACK && isObject(body) && (body['type'] === 4 || body['type'] === 7)) {
    return isObject(body['data']) ? body['data'] : {};
  }
  return undefined;
}

export function checkRules(op: SpecOperation, body: unknown, options: RuleOptions): string[] {
  const key = `${op.method} ${op.template}`;
  const errors: string[] = [];
  const message = messagePayload(op, body);
  if (message) {
    errors.push(...checkMessage(message, key === CALLBACK || key.includes('/webhooks/'), options));
  }
  if (key === CALLBACK && isObject(body)) {
    if (body['type'] === 9 && isObject(body['data'])) errors.push(...checkComponents(body['data']['components'], 'data.components'));
    if (body['type'] === 8 && isObject(body['data'])) {
      const choices = body['data']['choices'];
      if (Array.isArray(choices) && choices.length > 25) errors.push(`autocomplete: ${choices.length} choices (max 25)`);
    }
  }
  if (COMMAND_OPERATIONS.has(key)) {
    const commands = Array.isArray(body) ? body : [body];
    commands.forEach((c, i) => errors.push(...checkCommand(c, `command[${i}]`)));
  }
  return errors;
}

const EPHEMERAL = 1 << 6;
const ALLOWED_FLAGS = (1 << 2) | (1 << 12) | (1 << 15); // SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_COMPONENTS_V2

function checkMessage(msg: Json, isInteraction: boolean, options: RuleOptions): string[] {
  const errors: string[] = [];
  const content = msg['content'];
  if (typeof content === 'string' && content.length > 2000) {
    errors.push(`content has ${content.length} characters (max 2000)`);
  }
  const embeds = msg['embeds'];
  if (Array.isArray(embeds)) {
    if (embeds.length > 10) errors.push(`${embeds.length} embeds (max 10)`);
    let total = 0;
    embeds.forEach((embed, i) => {
      if (!isObject(embed)) return;
      const fields = Array.isArray(embed['fields']) ? embed['fields'] : [];
      if (fields.length > 25) errors.push(`embeds[${i}] has ${fields.length} fields (max 25)`);
      total += str(embed['title']).length + str(embed['description']).length;
      for (const f of fields) if (isObject(f)) total += str(f['name']).length + str(f['value']).length;
      if (isObject(embed['footer'])) total += str(embed['footer']['text']).length;
      if (isObject(embed['author'])) total += str(embed['author']['name']).length;
    });
    if (total > 6000) errors.push(`embeds total ${total} characters (max 6000)`);
  }
  const flags = msg['flags'];
  if (typeof flags === 'number') {
    const allowed = ALLOWED_FLAGS | (isInteraction ? EPHEMERAL : 0);
    if ((flags & ~allowed) !== 0) errors.push(`flags ${flags} include bits that cannot be set here`);
  }
  errors.push(...checkComponents(msg['components'], 'components'));
  if (options.requireNoPings) errors.push(...checkNoPings(msg['allowed_mentions']));
  return errors;
}

function checkNoPings(am: unknown): string[] {
  if (!isObject(am)) return ['allowed_mentions is missing (the bot must never ping: use allowedMentions { parse: [] })'];
  const errors: string[] = [];
  if (!Array.isArray(am['parse']) || am['parse'].length > 0) {
    errors.push(`allowed_mentions.parse must be [] (got ${JSON.stringify(am['parse'])})`);
  }
  for (const k of ['users', 'roles'] as const) {
    const list = am[k];
    if (Array.isArray(list) && list.length > 0) errors.push(`allowed_mentions.${k} must be empty`);
  }
  if (am['replied_user'] === true) errors.push('allowed_mentions.replied_user must not be true');
  return errors;
}

const CUSTOM_ID_TYPES = new Set([3, 4, 5, 6, 7, 8]); // selects and text inputs

function checkComponents(components: unknown, where: string): string[] {
  const errors: string[] = [];
  const seen = new Set<string>();
  const visit = (c: unknown, path: string): void => {
    if (!isObject(c)) return;
    const type = c['type'];
    const customId = c['custom_id'];
    if (typeof customId === 'string') {
      if (customId.length > 100) errors.push(`${path}.custom_id has ${customId.length} characters (max 100)`);
      if (seen.has(customId)) errors.push(`${path}.custom_id "${customId}" is duplicated`);
      seen.add(customId);
    }
    if (type === 2) {
      const style = c['style'];
      if (style === 5) {
        if (typeof c['url'] !== 'string') errors.push(`${path}: link button needs a url`);
        if (customId != null) errors.push(`${path}: link button must not have a custom_id`);
      } else if (style === 6) {
        if (c['sku_id'] == null) errors.push(`${path}: premium button needs a sku_id`);
      } else {
        if (typeof customId !== 'string' || customId.length === 0) errors.push(`${path}: button needs a custom_id`);
        if (c['url'] != null) errors.push(`${path}: non-link button must not have a url`);
      }
    } else if (typeof type === 'number' && CUSTOM_ID_TYPES.has(type)) {
      if (typeof customId !== 'string' || customId.length === 0) errors.push(`${path}: component type ${type} needs a custom_id`);
    }
    if (Array.isArray(c['components'])) c['components'].forEach((child, i) => visit(child, `${path}.components[${i}]`));
    if (isObject(c['component'])) visit(c['component'], `${path}.component`);
    if (isObject(c['accessory'])) visit(c['accessory'], `${path}.accessory`);
  };
  if (Array.isArray(components)) components.forEach((c, i) => visit(c, `${where}[${i}]`));
  return errors;
}

const NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkCommand(cmd: unknown, path: string): string[] {
  if (!isObject(cmd)) return [];
  const errors: string[] = [];
  const type = cmd['type'] ?? 1;
  const name = str(cmd['name']);
  if (type === 1) {
    if (!NAME.test(name) || name !== name.toLowerCase()) errors.push(`${path}: invalid command name "${name}"`);
    const desc = str(cmd['description']);
    if (desc.length < 1 || desc.length > 100) errors.push(`${path}: description must be 1-100 characters`);
  }
  errors.push(...checkOptions(cmd['options'], `${path}(${name})`));
  return errors;
}

function checkOptions(options: unknown, path: string): string[] {
  if (!Array.isArray(options)) return [];
  const errors: string[] = [];
  if (options.length > 25) errors.push(`${path}: ${options.length} options (max 25)`);
  let sawOptional = false;
  const names = new Set<string>();
  for (const o of options) {
    if (!isObject(o)) continue;
    const name = str(o['name']);
    const where = `${path}.${name}`;
    if (!NAME.test(name) || name !== name.toLowerCase()) errors.push(`${where}: invalid option name`);
    if (names.has(name)) errors.push(`${where}: duplicate option name`);
    names.add(name);
    const desc = str(o['description']);
    if (desc.length < 1 || desc.length > 100) errors.push(`${where}: description must be 1-100 characters`);
    const isSub = o['type'] === 1 || o['type'] === 2;
    if (!isSub) {
      if (o['required'] === true && sawOptional) errors.push(`${where}: required option after an optional one`);
      if (o['required'] !== true) sawOptional = true;
    }
    const choices = o['choices'];
    if (Array.isArray(choices)) {
      if (choices.length > 25) errors.push(`${where}: ${choices.length} choices (max 25)`);
      if (o['autocomplete'] === true && choices.length > 0) errors.push(`${where}: autocomplete with choices`);
    }
    errors.push(...checkOptions(o['options'], where));
  }
  return errors;
}
