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
    ['', undefined],
    ['0', 0],
    ['5', 5],
    [' 0.5 ', 0.5],
  ])('PICTURE_IDLE_MINUTES=%j gives pictureIdleMinutes %j', (text, minutes) => {
    const result = readConfig({ DISCORD_TOKEN: 'abc', PICTURE_IDLE_MINUTES: text });
    expect(result.ok && result.config.pictureIdleMinutes).toBe(minutes);
  });

  it.each(['-1', 'five', '1e3', '20000'])('PICTURE_IDLE_MINUTES=%j is refused with a message', (text) => {
    expect(readConfig({ DISCORD_TOKEN: 'abc', PICTURE_IDLE_MINUTES: text })).toEqual({
      ok: false,
      message: `PICTURE_IDLE_MINUTES must be a number of minutes from 0 (keep the picture process running) to 10080, got "${text.trim()}".`,
    });
  });

  it.each([
    [{}, undefined],
    [{ SHARD_COUNT: '4' }, { shardIds: 'all', shardCount: 4 }],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0,1' }, { shardIds: [0, 1], shardCount: 4 }],
    [{ SHARD_COUNT: '4', SHARD_IDS: ' 3 , 1,1' }, { shardIds: [1, 3], shardCount: 4 }],
    [{ SHARD_COUNT: '2', SHARD_IDS: '1,0' }, { shardIds: 'all', shardCount: 2 }],
    [{ SHARD_COUNT: '2', SHARD_IDS: '1', DATABASE_URL: 'redis://127.0.0.1:6379' }, { shardIds: [1], shardCount: 2 }],
  ])('sharding %j gives the layout %j', (env, shards) => {
    const result = readConfig({ DISCORD_TOKEN: 'abc', ...env });
    expect(result.ok ? result.config.shards : 'refused').toEqual(shards);
  });

  it.each([
    [{ SHARD_IDS: '0,1' }, 'SHARD_IDS needs SHARD_COUNT, the number of shards across every process (e.g. SHARD_IDS=0,1 SHARD_COUNT=4).'],
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT must be a whole number of shards from 1 to 10000, got "0".'],
    [{ SHARD_COUNT: 'two' }, 'SHARD_COUNT must be a whole number of shards from 1 to 10000, got "two".'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0,4' }, 'SHARD_IDS must list shard numbers from 0 to 3 (SHARD_COUNT is 4), separated by commas, e.g. SHARD_IDS=0,1; got "0,4".'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0;1' }, 'SHARD_IDS must list shard numbers from 0 to 3 (SHARD_COUNT is 4), separated by commas, e.g. SHARD_IDS=0,1; got "0;1".'],
    [{ SHARD_COUNT: '4', SHARD_IDS: '0,', }, 'SHARD_IDS must list shard numbers from 0 to 3 (SHARD_COUNT is 4), separated by commas, e.g. SHARD_IDS=0,1; got "0,".'],
    [{ SHARD_COUNT: '2', SHARD_IDS: '1', DATABASE_URL: 'memory://' }, 'SHARD_IDS=1 leaves shards to other processes, which cannot share DATABASE_URL=memory://. Use Redis or PostgreSQL (see .env.example).'],
  ])('sharding %j is refused with a clear message', (env, message) => {
    expect(readConfig({ DISCORD_TOKEN: 'abc', ...env })).toEqual({ ok: false, message });
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
