import type { Logger } from 'pino';
import { parseSince } from '../cli/parse.js';
import type { Config } from '../config/schema.js';
import type { Db } from '../db/schema.js';
import { errorMessage } from '../errors.js';
import { collectReport } from './collect-report.js';
import { renderReportHtml } from './render-html.js';
import { reportsDir, writeNightlyPages } from './write-report.js';

/**
 * The page a person reads in the morning: the last 24 hours, as `<state>/reports/<date>.html`
 * and `latest.html`. A page that cannot be written is said on stderr; the captions stand.
 */
export async function writeMorningReport(options: { db: Db; config: Config; log: Logger; warn: (text: string) => void }): Promise<void> {
  const { config } = options;
  const now = new Date();
  try {
    const report = await collectReport(options.db, config, { since: parseSince('24h', now), now });
    const pages = await writeNightlyPages(config.paths.state, renderReportHtml(report), now);
    options.log.info({ report: pages.dated }, 'wrote the morning report');
  } catch (error) {
    options.warn(`could not write the morning report under ${reportsDir(config.paths.state)}: ${errorMessage(error)}`);
  }
}
