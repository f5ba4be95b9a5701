import { describe, expect, it } from 'vitest';
import { DEFAULT_DATABASE_URL, MISSING_TOKEN_MESSAGE, readConfig } from '../src/config.ts';

describe('configuration from the environment', () => {
  it('a token alone gives the documented defaults', () => {
    expect(readConfig({ DISCORD_TOKEN: 'abc' })).toEqual({
      ok: true,
      config: { token: 'abc', databaseUrl: DEFAULT_DATABASE_URL, decksDir: 'decks', defaultTimeZone: 'UTC' },
    });
  });

  it('every variable is read, blank ones count as unset', () => {
    expect(
      readConfig({
        DISCORD_TOKEN: ' abc ',
        DISCORD_API_URL: 'http://127.0.0.1:9000/api/',
        DATABASE_URL: 'sqlite://var/bot.sqlite',
        DECKS_DIR: 'course/decks',
        DISCORD_GUILD_ID: '123456789012345678',
        DEFAULT_TIMEZONE: 'europe/paris',
        UNRELATED: '',
      }),
    ).toEqual({
      ok: true,
      config: {
        token: 'abc',
        apiUrl: 'http://127.0.0.1:9000/api',
        databaseUrl: 'sqlite://var/bot.sqlite',
        decksDir: 'course/decks',
        guildId: '123456789012345678',
        defaultTimeZone: 'Europe/Paris',
      },
    });
    expect(readConfig({ DISCORD_TOKEN: 'abc', DECKS_DIR: '  ' })).toMatchObject({ ok: true, config: { decksDir: 'decks' } });
  });

  it.each([
    ['1', true],
    ['yes', true],
    ['0', undefined],
    ['', undefined],
  ])('STORE_INIT=%j gives storeInit %j', (text, storeInit) => {
    const result = readConfig({ DISCORD_TOKEN: 'abc', STORE_INIT: text });
    expect(result.ok && result.config.storeInit).toBe(storeInit);
  });

  it.each([
    [{ DISCORD_TOKEN: 'abc', STORE_INIT: 'please' }, 'STORE_INIT must be 1 (start with an empty store) or 0, got "please".'],
    [{}, MISSING_TOKEN_MESSAGE],
    [{ DISCORD_TOKEN: '   ' }, MISSING_TOKEN_MESSAGE],
    [{ DISCORD_TOKEN: 'abc', DISCORD_API_URL: 'discord.com/api' }, 'DISCORD_API_URL must be an http(s) URL, got "discord.com/api".'],
    [{ DISCORD_TOKEN: 'abc', DISCORD_GUILD_ID: 'my-server' }, 'DISCORD_GUILD_ID must be a server id (17 to 20 digits), got "my-server".'],
    [{ DISCORD_TOKEN: 'abc', DEFAULT_TIMEZONE: 'CET+1' }, 'DEFAULT_TIMEZONE must be an IANA time zone such as Europe/Paris, got "CET+1".'],
  ])('%j is refused with a message saying what is expected', (env, message) => {
    expect(readConfig(env)).toEqual({ ok: false, message });
  });
});
