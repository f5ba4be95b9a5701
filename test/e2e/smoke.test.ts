import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('smoke', () => {
  it('starts and registers', async () => {
    expect(h.fake.commandOverwrites).toHaveLength(1);
    const cmd = await h.fake.slashCommand({ name: 'decks' });
    const reply = await cmd.waitForReply();
    expect(JSON.stringify(reply)).toContain('mlops wk9');
    h.fake.assertClean();
    expect(h.errors()).toEqual([]);
  });
});
