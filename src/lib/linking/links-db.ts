import { sql } from 'kysely';
import type { Updateable } from 'kysely';
import type { Link, LinksTable } from '../db/schema.js';
import type { Db } from '../db/schema.js';
import type { LinkDecision, Suggestion } from './find-show.js';
import type { UnmatchedOutcome } from './link-state.js';
import type { WritebackRecord } from './writeback.js';

/** The transcript's link row, created pending on first sight. */
export async function ensureLink(db: Db, transcriptId: number): Promise<Link> {
  await db
    .insertInto('links')
    .values({ transcript_id: transcriptId })
    .onConflict((oc) => oc.column('transcript_id').doNothing())
    .execute();
  return db.selectFrom('links').selectAll().where('transcript_id', '=', transcriptId).executeTakeFirstOrThrow();
}

export async function getLink(db: Db, linkId: number): Promise<Link> {
  return db.selectFrom('links').selectAll().where('id', '=', linkId).executeTakeFirstOrThrow();
}

/**
 * Records an attempt's result. Only a link still pending is changed: a person may have linked
 * it by hand while the attempt ran, and that choice wins. False when it was no longer pending.
 */
async function updatePendingLink(db: Db, link: Link, changes: Updateable<LinksTable>): Promise<boolean> {
  const row = await db
    .updateTable('links')
    .set({ ...changes, attempts: link.attempts + 1, updated_at: sql`now()` })
    .where('id', '=', link.id)
    .where('state', '=', 'pending')
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export function saveMatch(db: Db, link: Link, decision: Extract<LinkDecision, { matched: true }>): Promise<boolean> {
  return updatePendingLink(db, link, {
    state: 'linked',
    show_id: decision.showId,
    method: decision.method,
    score: decision.score,
    suggestions: null,
    last_error: null,
    writeback: null,
  });
}

export function saveUnmatched(
  db: Db,
  link: Link,
  outcome: UnmatchedOutcome,
  suggestions: readonly Suggestion[],
  reason: string,
): Promise<boolean> {
  return updatePendingLink(db, link, {
    state: outcome.state,
    // Kysely leaves an undefined value out: the column keeps its time.
    next_attempt_at: outcome.state === 'pending' ? outcome.nextAttemptAt : undefined,
    suggestions: JSON.stringify(suggestions),
    last_error: reason,
  });
}

export async function saveWriteback(db: Db, linkId: number, record: WritebackRecord): Promise<void> {
  await db
    .updateTable('links')
    .set({ writeback: JSON.stringify(record), updated_at: sql`now()` })
    .where('id', '=', linkId)
    .execute();
}

export async function orphanLink(db: Db, linkId: number, reason: string): Promise<void> {
  await db
    .updateTable('links')
    .set({ state: 'orphaned', last_error: reason, updated_at: sql`now()` })
    .where('id', '=', linkId)
    .execute();
}

/**
 * A person's link overrides any earlier one. The write-back record is kept only when the show
 * is the same (it then still describes that show); otherwise the new show gets one.
 */
export async function linkByHand(db: Db, transcriptId: number, showId: number): Promise<Link> {
  return db.transaction().execute(async (trx) => {
    const existing = await ensureLink(trx, transcriptId);
    return trx
      .updateTable('links')
      .set({
        state: 'linked',
        show_id: showId,
        method: 'manual',
        score: null,
        suggestions: null,
        last_error: null,
        ...(existing.show_id === showId ? {} : { writeback: null }),
        updated_at: sql`now()`,
      })
      .where('id', '=', existing.id)
      .returningAll()
      .executeTakeFirstOrThrow();
  });
}
