/** Memory records written out for study tests. */
import type { Card } from '../../src/deck/types.ts';
import { DAY_MS, review, withState, type MemoryRecord, type Rating, type ReviewSource } from '../../src/study/memory.ts';

// Monday 2026-01-05 09:00 UTC.
export const NOW = Date.UTC(2026, 0, 5, 9);

/** A record where each card was reviewed once, `daysAgo` days before NOW, with `rating`. */
export function recordOf(reviews: readonly { card: Pick<Card, 'id'>; rating: Rating; daysAgo: number; source?: ReviewSource }[]): MemoryRecord {
  let record: MemoryRecord = {};
  for (const r of reviews) record = withState(record, r.card.id, review(undefined, r.rating, NOW - r.daysAgo * DAY_MS, r.source ?? 'live'));
  return record;
}
