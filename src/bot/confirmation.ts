/**
 * A confirmation a member asked for (`/season new`, `/deck remove`): stored with its owner and
 * an expiry, taken in one store update so a double press acts once.
 */
import type { Store } from '../storage/store.ts';

/** How long a confirmation button works. */
export const CONFIRM_TTL_MS = 5 * 60 * 1000;

export interface PendingConfirmation {
  readonly guildId: string;
  readonly ownerId: string;
  readonly expiresAt: number;
}

/**
 * Takes the confirmation stored at `key` for `userId`: the request when it is theirs (and
 * removes it), `'not-yours'` when another member asked for it (it stays), undefined when there
 * is none or it expired.
 */
export function takeConfirmation<T extends PendingConfirmation>(store: Store, key: string, userId: string, now: number): Promise<T | 'not-yours' | undefined> {
  return store.update<T, T | 'not-yours' | undefined>(key, (request) => {
    if (!request || request.expiresAt <= now) return { value: undefined, result: undefined };
    if (request.ownerId !== userId) return { value: request, result: 'not-yours' };
    return { value: undefined, result: request };
  });
}
