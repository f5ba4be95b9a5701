/**
 * Pictures for messages: drawn when the server has images on (`/settings
 * images`), as a file to attach and the `attachment://` URL an embed shows it
 * with. When drawing fails or takes too long the message goes out as text only.
 */
import type { APIEmbed } from 'discord.js';
import type { Logger } from '../clock.ts';
import type { ImageJob } from '../images/job-types.ts';
import type { ImageRenderer } from '../images/renderer.ts';
import { readSettings } from '../storage/settings.ts';
import type { Store } from '../storage/store.ts';

export interface PictureDeps {
  readonly store: Pick<Store, 'get'>;
  readonly images: Pick<ImageRenderer, 'render'>;
  readonly logger: Logger;
}

export interface Picture {
  /** For `files` of a message payload. */
  readonly file: { readonly attachment: Buffer; readonly name: string };
  /** For an embed's image: `attachment://<name>`. */
  readonly url: string;
}

/** `name` is the file name: ASCII letters, digits, `-`, `_` and `.` only, as `attachment://` needs. */
export async function picture(deps: PictureDeps, guildId: string, job: ImageJob, name: string, timeoutMs?: number): Promise<Picture | undefined> {
  if (!(await readSettings(deps.store, guildId)).images) return undefined;
  try {
    const attachment = await deps.images.render(job, timeoutMs);
    return { file: { attachment, name }, url: `attachment://${name}` };
  } catch (error) {
    deps.logger.warn(`the ${job.kind} picture for server ${guildId} was not drawn, text only: ${(error as Error).message}`);
    return undefined;
  }
}

/** The embed showing the picture (unchanged without one). */
export function withPicture(embed: APIEmbed, shown: Picture | undefined): APIEmbed {
  return shown ? { ...embed, image: { url: shown.url } } : embed;
}

/** The `files` of a payload: the picture, or none (which also removes an earlier picture on an edit). */
export function filesOf(...shown: (Picture | undefined)[]): { attachment: Buffer; name: string }[] {
  return shown.flatMap((p) => (p ? [p.file] : []));
}
