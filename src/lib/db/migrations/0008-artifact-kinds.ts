import { sql, type Kysely } from 'kysely';

/**
 * 0005 let the artifact kind `scratch` back into the check when it added `transcript`, after
 * 0002 had dropped it (scratch files are found by name): nothing writes it, so nothing may.
 */
async function setArtifactKinds(db: Kysely<unknown>, kinds: readonly string[]): Promise<void> {
  await sql`alter table artifacts drop constraint artifacts_kind_check`.execute(db);
  await sql`alter table artifacts add constraint artifacts_kind_check check (kind in (${sql.join(kinds.map((k) => sql.lit(k)))}))`.execute(
    db,
  );
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`delete from artifacts where kind = 'scratch'`.execute(db);
  await setArtifactKinds(db, ['sidecar', 'caption', 'rendition', 'transcript']);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await setArtifactKinds(db, ['sidecar', 'caption', 'rendition', 'scratch', 'transcript']);
}
