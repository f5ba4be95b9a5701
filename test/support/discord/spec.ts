// Validation of request bodies against Discord's OpenAPI description (v10).
// The spec is loaded and compiled once per process; validators are compiled lazily per operation.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const SPEC_IN_SHARED = join('shared', 'discord-api', 'openapi.json');

/**
 * Discord's OpenAPI description, kept beside the repository in ../shared/discord-api/. A clone
 * made elsewhere on the same machine (a clean clone in a temporary folder) finds it beside the
 * repository it was cloned from; DISCORD_OPENAPI names another file.
 */
function specFile(): string {
  if (process.env.DISCORD_OPENAPI) return resolve(process.env.DISCORD_OPENAPI);
  const beside = join(dirname(resolve(REPO)), SPEC_IN_SHARED);
  if (existsSync(beside)) return beside;
  let origin = '';
  try {
    origin = execFileSync('git', ['config', '--get', 'remote.origin.url'], { cwd: REPO, encoding: 'utf8' }).trim();
  } catch {
    // Not a clone: only the place beside the repository is known.
  }
  const fromOrigin = origin.startsWith('file://') ? fileURLToPath(origin) : origin;
  return isAbsolute(fromOrigin) ? join(dirname(resolve(fromOrigin)), SPEC_IN_SHARED) : beside;
}
const SPEC_ID = 'https://discord.test/openapi.json';

type Json = Record<string, unknown>;

export interface SpecOperation {
  /** Spec path template, e.g. `/channels/{channel_id}/messages`. */
  template: string;
  method: string;
  operationId: string;
  params: Record<string, string>;
  hasBody: boolean;
  bodyRequired: boolean;
}

interface PathEntry {
  template: string;
  regex: RegExp;
  paramNames: string[];
  literalCount: number;
  operations: Record<string, Json>;
}

interface LoadedSpec {
  ajv: Ajv;
  paths: PathEntry[];
  validators: Map<string, OperationValidator | null>;
}

let loaded: LoadedSpec | undefined;

/** Permission bitfields are sent as decimal strings by clients; the spec only lists integers. */
const PERMISSION_PROPS = new Set(['default_member_permissions', 'permissions', 'allow', 'deny']);

/** Lets permission-like integer properties also accept decimal strings. */
function widenPermission(schema: unknown, key: string): unknown {
  if (!PERMISSION_PROPS.has(key) || !schema || typeof schema !== 'object') return schema;
  const type = (schema as Json)['type'];
  const isInteger = type === 'integer' || (Array.isArray(type) && type.includes('integer'));
  return isInteger ? { anyOf: [schema, { type: 'string', pattern: '^[0-9]+$' }] } : schema;
}

/** Drops the two empty enum arrays (guild join requests) and widens permission-like properties. */
function preprocessProperties(spec: Json): Json {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!node || typeof node !== 'object') return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node as Json)) {
      if (k === 'enum' && Array.isArray(v) && v.length === 0) continue;
      if (k === 'properties' && v && typeof v === 'object' && !Array.isArray(v)) {
        const props: Json = {};
        for (const [pk, pv] of Object.entries(v as Json)) props[pk] = widenPermission(walk(pv), pk);
        out[k] = props;
      } else {
        out[k] = walk(v);
      }
    }
    return out;
  };
  return walk(spec) as Json;
}

function templateToEntry(template: string, operations: unknown): PathEntry {
  const paramNames: string[] = [];
  let literalCount = 0;
  const parts = template
    .split('/')
    .filter(Boolean)
    .map((seg) => {
      const m = /^\{(\w+)\}$/.exec(seg);
      if (m) {
        paramNames.push(m[1]!);
        return '([^/]+)';
      }
      literalCount++;
      return seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    });
  return {
    template,
    regex: new RegExp(`^/${parts.join('/')}$`),
    paramNames,
    literalCount,
    operations: operations as Record<string, Json>,
  };
}

function load(): LoadedSpec {
  if (loaded) return loaded;
  let text: string;
  try {
    text = readFileSync(specFile(), 'utf8');
  } catch (error) {
    throw new Error(`Discord's OpenAPI description is expected at ${specFile()} (../shared/discord-api/ beside the repository, or DISCORD_OPENAPI): ${(error as Error).message}`);
  }
  const raw = JSON.parse(text) as Json;
  const spec = preprocessProperties(raw);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, inlineRefs: false });
  const addFormats = addFormatsModule as unknown as (a: Ajv) => Ajv;
  addFormats(ajv);
  ajv.addFormat('snowflake', /^(0|[1-9][0-9]*)$/);
  ajv.addFormat('nonce', true);
  ajv.addSchema({ $id: SPEC_ID, components: spec['components'] });
  const paths = Object.entries(spec['paths'] as Record<string, Json>).map(([t, ops]) => templateToEntry(t, ops));
  // More literal segments first, so `/messages/@original` wins over `/messages/{message_id}`.
  paths.sort((a, b) => b.literalCount - a.literalCount);
  loaded = { ajv, paths, validators: new Map() };
  return loaded;
}

/** Loads and prepares the spec (a few hundred ms); call early to keep the first request fast. */
export function warmUpSpec(): void {
  const spec = load();
  // Compile the validators used by nearly every test up front.
  for (const [template, method] of [
    ['/interactions/{interaction_id}/{interaction_token}/callback', 'post'],
    ['/channels/{channel_id}/messages', 'post'],
  ] as const) {
    const entry = spec.paths.find((p) => p.template === template);
    if (entry) validatorFor(spec, entry, method);
  }
}

/** Finds the spec operation for a concrete API path (without the `/api/v10` prefix). */
export function matchOperation(method: string, path: string): SpecOperation | undefined {
  const spec = load();
  const m = method.toLowerCase();
  for (const entry of spec.paths) {
    const match = entry.regex.exec(path);
    if (!match) continue;
    const op = entry.operations[m] as Json | undefined;
    if (!op) continue;
    const params: Record<string, string> = {};
    entry.paramNames.forEach((name, i) => {
      params[name] = match[i + 1] ?? '';
    });
    return {
      template: entry.template,
      method: m,
      operationId: String(op['operationId'] ?? `${m} ${entry.template}`),
      params,
      hasBody: op['requestBody'] !== undefined,
      bodyRequired: (op['requestBody'] as Json | undefined)?.['required'] === true,
    };
  }
  return undefined;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) {
    out[k] = k === '$ref' && typeof v === 'string' && v.startsWith('#/') ? `${SPEC_ID}${v}` : rewriteRefs(v);
  }
  return out;
}

interface OperationValidator {
  whole: ValidateFunction;
  /** Separately compiled union members, to report the errors of the member the body meant. */
  branches: ValidateFunction[];
}

function validatorFor(spec: LoadedSpec, entry: PathEntry, method: string): OperationValidator | null {
  const key = `${method} ${entry.template}`;
  if (spec.validators.has(key)) return spec.validators.get(key) ?? null;
  const op = entry.operations[method] as Json | undefined;
  const content = (op?.['requestBody'] as Json | undefined)?.['content'] as Record<string, Json> | undefined;
  // The JSON schema is used for multipart `payload_json` too (files are recorded separately).
  const schema = (content?.['application/json'] ?? content?.['multipart/form-data'])?.['schema'] as Json | undefined;
  let validator: OperationValidator | null = null;
  if (schema) {
    const union = (schema['anyOf'] ?? schema['oneOf']) as unknown[] | undefined;
    validator = {
      whole: spec.ajv.compile(rewriteRefs(schema) as Json),
      branches: Array.isArray(union) ? union.map((b) => spec.ajv.compile(rewriteRefs(b) as Json)) : [],
    };
  }
  spec.validators.set(key, validator);
  return validator;
}

function formatError(e: ErrorObject): string {
  const where = e.instancePath || '(body)';
  const extra = e.keyword === 'enum' || e.keyword === 'const' ? ` ${JSON.stringify(e.params)}` : '';
  return `${where} ${e.message ?? e.keyword}${extra}`;
}

function relevantErrors(errors: ErrorObject[]): string[] {
  const specific = errors.filter((e) => !['oneOf', 'anyOf'].includes(e.keyword) && e.message !== 'must be null');
  const chosen = specific.length > 0 ? specific : errors;
  return [...new Set(chosen.map(formatError))].slice(0, 20);
}

/**
 * The file fields (`files[0]` … `files[9]`) the operation's multipart/form-data body may carry, as its
 * schema lists them; the 10 of Discord's documentation when the schema lists none (interaction callbacks).
 */
export function multipartFileFields(op: SpecOperation): ReadonlySet<string> {
  const spec = load();
  const entry = spec.paths.find((p) => p.template === op.template);
  const requestBody = (entry?.operations[op.method] as Json | undefined)?.['requestBody'] as Json | undefined;
  const schema = ((requestBody?.['content'] as Record<string, Json> | undefined)?.['multipart/form-data'])?.['schema'] as Json | undefined;
  const fields = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    const n = node as Json;
    for (const part of (n['allOf'] ?? []) as unknown[]) visit(part);
    for (const [name, prop] of Object.entries((n['properties'] ?? {}) as Record<string, Json>)) {
      if (prop['contentEncoding'] === 'binary' || prop['format'] === 'binary') fields.add(name);
    }
  };
  visit(schema);
  return fields.size > 0 ? fields : new Set(Array.from({ length: 10 }, (_, i) => `files[${i}]`));
}

/** Validates a parsed body against the operation's requestBody schema. Returns error messages. */
export function validateBody(op: SpecOperation, body: unknown): string[] {
  const spec = load();
  const entry = spec.paths.find((p) => p.template === op.template);
  if (!entry) return [`unknown operation ${op.template}`];
  const validator = validatorFor(spec, entry, op.method);
  if (!validator) return [];
  if (validator.whole(body)) return [];
  // For unions (e.g. interaction callbacks), report the members whose `type` matched the body.
  const matching: ErrorObject[] = [];
  for (const branch of validator.branches) {
    if (branch(body)) return [];
    const errs = branch.errors ?? [];
    if (!errs.some((e) => e.instancePath === '/type')) matching.push(...errs);
  }
  return relevantErrors(matching.length > 0 ? matching : (validator.whole.errors ?? []));
}
