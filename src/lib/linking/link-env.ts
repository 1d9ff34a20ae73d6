import type { CablecastClient } from '../cablecast/index.js';
import type { LinkingSettings, Site } from '../config/schema.js';
import type { Media } from '../db/schema.js';
import type { ShowEvidence } from './find-show.js';
import { recordingFacts } from './recording-facts.js';
import type { ShowCatalog } from './show-catalog.js';

/** What linking needs besides the database; the catalog lives for one run. */
export interface LinkEnv {
  client: CablecastClient;
  catalog: ShowCatalog;
  settings: LinkingSettings;
  sites: readonly Site[];
  /** pipeline.upload: whether captions without a sidecar on a share can still reach Cablecast. */
  uploadEnabled: boolean;
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
