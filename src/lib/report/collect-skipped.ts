import { z } from 'zod';
import type { Db } from '../db/schema.js';
import type { ReportSkip } from './model.js';

/** The skips worth a look: the others (known, outside the patterns, captioned) are no news. */
const WORTH_A_LOOK = new Set(['not-ready', 'unknown', 'captioned-elsewhere']);

/** The part of process-recent-vods' stored summary this reads; other keys are left alone. */
const nightlySummary = z.object({
  vods: z.array(
    z.object({
      site: z.string(),
      skipped: z.array(z.object({ showId: z.number().int(), title: z.string().nullable(), kind: z.string(), reason: z.string() })),
    }),
  ),
});

/** Cablecast shows the nightly runs since `since` passed over that may need a person; the latest word on each. */
export async function collectSkipped(db: Db, since: Date, site?: string): Promise<ReportSkip[]> {
  const runs = await db
    .selectFrom('runs')
    .select('summary')
    .where('command', '=', 'process-recent-vods')
    .where('started_at', '>=', since)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const seen = new Map<string, ReportSkip>();
  for (const run of runs) {
    const parsed = nightlySummary.safeParse(run.summary);
    if (!parsed.success) continue;
    for (const vods of parsed.data.vods) {
      if (site !== undefined && vods.site !== site) continue;
      for (const skip of vods.skipped) {
        const key = `${vods.site}/${skip.showId}`;
        if (WORTH_A_LOOK.has(skip.kind) && !seen.has(key)) seen.set(key, { site: vods.site, ...skip });
      }
    }
  }
  return [...seen.values()];
}
