import type { CablecastClient } from '../cablecast/index.js';
import type { LinkingSettings, Site } from '../config/schema.js';
import type { Media } from '../db/schema.js';
import type { ShowEvidence } from './find-show.js';
import { recordingFacts } from './recording-facts.js';
import type { ShowCatalog } from './show-catalog.js';
import type { ShowFieldIds } from './writeback.js';

/** What linking needs besides the database; the caches live for one run. */
export interface LinkEnv {
  client: CablecastClient;
  catalog: ShowCatalog;
  fieldIds: ShowFieldIds;
  settings: LinkingSettings;
  sites: readonly Site[];
  now(): Date;
}

export function evidenceFor(media: Media, sites: readonly Site[]): ShowEvidence {
  return {
    recording: recordingFacts(media),
    fileShowId: media.file_show_id,
    cablecastShowId: media.cablecast_show_id,
    location: sites.find((site) => site.key === media.site)?.location,
  };
}
