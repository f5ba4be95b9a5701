import { describe, expect, it } from 'vitest';
import { png, surface, THEME } from '../../src/images/draw.ts';
import { difference, pixels, pngSize } from './golden.ts';

describe('png', () => {
  it('encodes exactly the pixels of the canvas, colours in the right channels', async () => {
    const s = surface(37, 23);
    s.ctx.fillStyle = THEME.gold;
    s.ctx.fillRect(3, 4, 10, 5);
    s.ctx.fillStyle = THEME.accent;
    s.ctx.beginPath();
    s.ctx.arc(25, 12, 8, 0, Math.PI * 2);
    s.ctx.fill();
    const bytes = await png(s);
    expect(pngSize(bytes)).toEqual({ width: 37, height: 23 });
    const decoded = await pixels(bytes);
    expect(difference(decoded, s.ctx.getImageData(0, 0, 37, 23)).differing).toBe(0);
    // #f1c40f at (5, 5).
    expect([...decoded.data.subarray((5 * 37 + 5) * 4, (5 * 37 + 5) * 4 + 4)]).toEqual([0xf1, 0xc4, 0x0f, 255]);
  });
});
