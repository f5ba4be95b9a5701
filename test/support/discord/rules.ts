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

// ---------------------------------------------------------------------------------------------
// Uploads (multipart/form-data bodies)

/** An uploaded file as the multipart parser gives it. */
export interface Upload {
  field: string;
  filename: string;
  contentType: string;
  data: Buffer;
}

/** Discord's upload limit for a bot in a server without boosts. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Names an `attachment://` URL can point at (Discord: ASCII letters, digits, underscores, dashes and dots). */
const ATTACHMENT_NAME = /^[A-Za-z0-9_.-]+$/;
const UPLOAD_FIELD = /^files\[(\d+)\]$/;

/** The `attachment://` names the embeds of a message payload show. */
function attachmentReferences(message: Json): { where: string; name: string }[] {
  const refs: { where: string; name: string }[] = [];
  const embeds = Array.isArray(message['embeds']) ? message['embeds'] : [];
  embeds.forEach((embed, i) => {
    if (!isObject(embed)) return;
    const urls: [string, unknown][] = [
      ['image.url', isObject(embed['image']) ? embed['image']['url'] : undefined],
      ['thumbnail.url', isObject(embed['thumbnail']) ? embed['thumbnail']['url'] : undefined],
      ['author.icon_url', isObject(embed['author']) ? embed['author']['icon_url'] : undefined],
      ['footer.icon_url', isObject(embed['footer']) ? embed['footer']['icon_url'] : undefined],
    ];
    for (const [where, url] of urls) {
      if (typeof url === 'string' && url.startsWith('attachment://')) refs.push({ where: `embeds[${i}].${where}`, name: url.slice('attachment://'.length) });
    }
  });
  return refs;
}

/**
 * Checks the files of a body and how the message refers to them: file fields the operation
 * takes (`files[n]`, each once), non-empty files within the size limit whose bytes match a PNG
 * content type, every upload listed in `attachments` (Discord ignores files it does not list)
 * and every listed upload sent, and every `attachment://name` of an embed naming a file of this
 * body. (On an edit, an attachment the message already has may be named too; those are not
 * checked here.)
 */
export function checkUploads(op: SpecOperation, body: unknown, files: readonly Upload[], fileFields: ReadonlySet<string>, multipart: boolean): string[] {
  const errors: string[] = [];
  const fields = new Set<string>();
  for (const f of files) {
    if (!fileFields.has(f.field)) errors.push(`multipart field "${f.field}" is not a file field of this operation (${[...fileFields][0]} … ${[...fileFields].at(-1)})`);
    if (fields.has(f.field)) errors.push(`multipart field "${f.field}" is sent twice`);
    fields.add(f.field);
    if (!f.filename) errors.push(`${f.field} has no filename`);
    if (f.data.length === 0) errors.push(`${f.field} (${f.filename}) is empty`);
    if (f.data.length > MAX_UPLOAD_BYTES) errors.push(`${f.field} (${f.filename}) has ${f.data.length} bytes (max ${MAX_UPLOAD_BYTES})`);
    const saysPng = f.contentType === 'image/png' || f.filename.toLowerCase().endsWith('.png');
    if (saysPng && !f.data.subarray(0, 8).equals(PNG_SIGNATURE)) errors.push(`${f.field} (${f.filename}) is named or typed as a PNG but is not one`);
  }
  const message = messagePayload(op, body);
  if (!message) {
    if (files.length > 0) errors.push(`files sent with ${op.method.toUpperCase()} ${op.template}, which takes no message`);
    return errors;
  }
  const key = `${op.method} ${op.template}`;
  const isEdit = op.method === 'patch' || (key === CALLBACK && isObject(body) && body['type'] === 7);
  const uploadIndex = (id: unknown): number | undefined => {
    const n = typeof id === 'number' ? id : typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : undefined;
    // Small numbers name this body's uploads; snowflakes name attachments the message already has.
    return n !== undefined && n < 1000 ? n : undefined;
  };
  const listed = Array.isArray(message['attachments']) ? (message['attachments'] as unknown[]).filter(isObject) : undefined;
  const byIndex = new Map(files.map((f) => [Number(UPLOAD_FIELD.exec(f.field)?.[1] ?? -1), f]));
  if (listed) {
    for (const a of listed) {
      const n = uploadIndex(a['id']);
      if (n !== undefined && !byIndex.has(n)) errors.push(`attachments lists upload ${n} but no files[${n}] was sent${multipart ? '' : ' (the body is not multipart)'}`);
    }
    for (const [n, f] of byIndex) {
      if (!listed.some((a) => uploadIndex(a['id']) === n)) errors.push(`files[${n}] (${f.filename}) is not listed in attachments, so Discord would drop it`);
    }
  }
  const names = new Set(files.map((f) => f.filename));
  const mayKeep = isEdit && (listed === undefined || listed.some((a) => uploadIndex(a['id']) === undefined));
  for (const ref of attachmentReferences(message)) {
    if (!ATTACHMENT_NAME.test(ref.name)) errors.push(`${ref.where} attachment://${ref.name}: Discord only finds names of ASCII letters, digits, _, - and .`);
    else if (!names.has(ref.name) && !mayKeep) errors.push(`${ref.where} shows attachment://${ref.name}, which was not uploaded (uploaded: ${[...names].join(', ') || 'none'})`);
  }
  return errors;
}
