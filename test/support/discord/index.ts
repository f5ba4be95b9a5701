// A fake Discord (REST v10 + gateway) on loopback, for end-to-end tests of the bot with discord.js.
//
//   const guild = makeGuild({ members: [makeUser({ username: 'alice' })], channels: [{ name: 'general' }] });
//   const fake = await startFakeDiscord({ guilds: [guild] });
//   const client = new Client({ intents, rest: { api: fake.restUrl, retries: 0, globalRequestsPerSecond: 10000 } });
//   client.once('clientReady', ...); await client.login(fake.token);
//   const cmd = await fake.slashCommand({ name: 'quiz', subcommand: 'start', options: { deck: 'cells' } });
//   expect((await cmd.waitForReply()).content).toBe('...');
//   fake.assertClean(); await client.destroy(); await fake.close();
//
// Every request body is checked against Discord's OpenAPI description and the product's rules
// (see rules.ts); violations are answered with Discord-style 400/404 errors and kept in
// `fake.violations`.
export { startFakeDiscord, FakeDiscord } from './server.ts';
export { guildShard } from './gateway.ts';
export type { AttachmentInit, FakeAttachment, FakeDiscordOptions, FaultAction, FaultHandle, FaultMatch, RecordedRequest, Violation, WaitOptions } from './server.ts';
export { InteractionHandle } from './interactions.ts';
export type {
  AutocompleteInit,
  ComponentInit,
  InteractionBase,
  MemberInit,
  ModalSubmitInit,
  OptionValue,
  PermissionsInit,
  SlashCommandInit,
  UserMessageInit,
} from './interactions.ts';
export {
  makeGuild,
  makeUser,
  makeRole,
  snowflake,
  snowflakeOnShard,
  permissionBits,
  BOT_PERMISSIONS,
  MEMBER_PERMISSIONS,
} from './fixtures.ts';
export type { ChannelInit, GuildFixture, GuildInit, PermissionName } from './fixtures.ts';
export type { UploadedFile } from './multipart.ts';
export type { StoredCommand } from './store.ts';
