/** /settings end to end: Manage Server by default (Discord decides), one record per server, read back by /settings show. */
import { PermissionFlagsBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { ana, startHarness, teacher, type Harness } from './harness.ts';

const EPHEMERAL = 64;
let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('/settings', () => {
  it('turns images off and on for the server; registered for Manage Server by default, and a member an Integrations override lets run it is served', async () => {
    const harness = (h = await startHarness());
    const definition = harness.fake.commands().find((c) => c.name === 'settings');
    expect(definition?.default_member_permissions).toBe(PermissionFlagsBits.ManageGuild.toString());

    const shown = await (await harness.fake.slashCommand({ name: 'settings', subcommand: 'show', user: teacher })).waitForReply();
    expect(shown.flags).toBe(EPHEMERAL);
    expect(String(shown.content)).toContain('**images**: on');

    // Ana has no Manage Server: Discord sends her command only when the server's admins gave /settings to her or her role.
    const off = await (await harness.fake.slashCommand({ name: 'settings', subcommand: 'images', user: ana, options: { state: 'off' } })).waitForReply();
    expect(off.flags).toBe(EPHEMERAL);
    expect(String(off.content)).toContain('Images are off');
    const after = await (await harness.fake.slashCommand({ name: 'settings', subcommand: 'show', user: teacher })).waitForReply();
    expect(String(after.content)).toContain('**images**: off');

    const on = await (await harness.fake.slashCommand({ name: 'settings', subcommand: 'images', user: teacher, options: { state: 'on' } })).waitForReply();
    expect(String(on.content)).toContain('Images are on');
    const back = await (await harness.fake.slashCommand({ name: 'settings', subcommand: 'show', user: teacher })).waitForReply();
    expect(String(back.content)).toContain('**images**: on');
    harness.fake.assertClean();
    expect(harness.errors()).toEqual([]);
  });
});
