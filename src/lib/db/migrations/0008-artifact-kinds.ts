import { sql, type Kysely } from 'kysely';
import { setArtifactKinds } from './0005-transcript-search.js';

/**
 * 0005 let the artifact kind `scratch` back into the check when it added `transcript`, after
 * 0002 had dropped it (scratch files are found by name): nothing writes it, so nothing may.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from artifacts where kind = 'scratch'`.execute(db);
  await setArtifactKinds(db, ['sidecar', 'caption', 'rendition', 'transcript']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setArtifactKinds(db, ['sidecar', 'caption', 'rendition', 'scratch', 'transcript']);
}
