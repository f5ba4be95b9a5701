import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { serverSettingsKey } from '../../src/storage/keys.ts';
import { DEFAULT_SETTINGS, readSettings, updateSettings, withDefaults } from '../../src/storage/settings.ts';
import { Store } from '../../src/storage/store.ts';

describe('server settings', () => {
  it.each([
    ['no record', undefined, { images: true, newCards: 10 }],
    ['images turned off', { images: false }, { images: false, newCards: 10 }],
    ['a mistyped value', { images: 'no' as unknown as boolean }, { images: true, newCards: 10 }],
    ['an unknown key', { colour: 'red' } as unknown as { images: boolean }, { images: true, newCards: 10 }],
    ['new cards changed', { newCards: 3 }, { images: true, newCards: 3 }],
  ])('%s gives %j', (_, stored, expected) => {
    expect(withDefaults(stored)).toEqual(expected);
  });

  it('a server that never changed a setting reads the defaults and has no record', async () => {
    const store = new Store(new Keyv());
    expect(await readSettings(store, 'g1')).toEqual(DEFAULT_SETTINGS);
    expect(await store.get(serverSettingsKey('g1'))).toBeUndefined();
  });

  it('an update keeps one record per server and leaves other servers alone', async () => {
    const store = new Store(new Keyv());
    expect(await updateSettings(store, 'g1', { images: false })).toEqual({ images: false, newCards: 10 });
    expect(await readSettings(store, 'g1')).toEqual({ images: false, newCards: 10 });
    expect(await readSettings(store, 'g2')).toEqual({ images: true, newCards: 10 });
    expect(await store.get(serverSettingsKey('g1'))).toEqual({ images: false });
    await updateSettings(store, 'g1', { images: true, newCards: 5 });
    expect(await readSettings(store, 'g1')).toEqual({ images: true, newCards: 5 });
  });
});
