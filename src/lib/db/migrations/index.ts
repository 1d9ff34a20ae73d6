import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './0001-initial.js';
import * as dropUnused from './0002-drop-unused.js';
import * as captionReport from './0003-caption-report.js';
import * as pendingArtifactsEngineGroups from './0004-pending-artifacts-engine-groups.js';
import * as transcriptSearch from './0005-transcript-search.js';
import * as captionEdits from './0006-caption-edits.js';
import * as statusIndexes from './0007-status-indexes.js';
import * as artifactKinds from './0008-artifact-kinds.js';

/**
 * The migration list, in order. A plain list (not a directory scan) so that the compiled
 * package and the TypeScript sources see the same migrations with no file-system lookup.
 */
const migrations: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-drop-unused': dropUnused,
  '0003-caption-report': captionReport,
  '0004-pending-artifacts-engine-groups': pendingArtifactsEngineGroups,
  '0005-transcript-search': transcriptSearch,
  '0006-caption-edits': captionEdits,
  '0007-status-indexes': statusIndexes,
  '0008-artifact-kinds': artifactKinds,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};
