/**
 * Per-server settings: one record per server (`settings:<guild>`), read with
 * the defaults filled in, so a server that never changed anything has no record
 * and a setting added later has its default for every existing server.
 */
import { DEFAULT_NEW_CARDS_PER_DAY } from '../study/practice.ts';
import { serverSettingsKey } from './keys.ts';
import type { Store } from './store.ts';

export interface ServerSettings {
  /** Attach pictures (leaderboard page, stats charts, daily reveal, season podium) to messages. */
  readonly images: boolean;
  /** New cards each member may start per day in /practice. */
  readonly newCards: number;
}

export const DEFAULT_SETTINGS: ServerSettings = { images: true, newCards: DEFAULT_NEW_CARDS_PER_DAY };

export const NEW_CARDS_LIMITS = { min: 0, max: 100 } as const;

/** The server's settings, defaults filled in. Unknown or mistyped stored values fall back to the default. */
export async function readSettings(store: Pick<Store, 'get'>, guildId: string): Promise<ServerSettings> {
  return withDefaults(await store.get<Partial<ServerSettings>>(serverSettingsKey(guildId)));
}

export function withDefaults(stored: Partial<ServerSettings> | undefined): ServerSettings {
  const out: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const key of Object.keys(DEFAULT_SETTINGS) as (keyof ServerSettings)[]) {
    const value = stored?.[key];
    if (value !== undefined && typeof value === typeof DEFAULT_SETTINGS[key]) out[key] = value;
  }
  return out as unknown as ServerSettings;
}

/** Changes some settings of a server (one read-modify-write) and returns them all. */
export async function updateSettings(store: Pick<Store, 'update'>, guildId: string, change: Partial<ServerSettings>): Promise<ServerSettings> {
  return store.update<Partial<ServerSettings>, ServerSettings>(serverSettingsKey(guildId), (stored) => {
    const value = { ...stored, ...change };
    return { value, result: withDefaults(value) };
  });
}
