import { readFile } from 'node:fs/promises';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { errnoCode, UsageError } from '../errors.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { REPORT_GENERATOR } from './render-html.js';

/** A file at `path` that is not one of our pages: a report never replaces it. */
async function isForeign(path: string): Promise<boolean> {
  try {
    const head = (await readFile(path, 'utf8')).slice(0, 600);
    return !head.includes(`<meta name="generator" content="${REPORT_GENERATOR}">`);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return false;
    throw error;
  }
}

/** Writes a report page atomically (readers see the old page or the new one), never over someone else's file. */
export async function writeReportPage(path: string, html: string): Promise<void> {
  if (await isForeign(path)) {
    throw new UsageError(`${path} exists and is not an Archivist report: refusing to replace it (choose another --html file)`);
  }
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, html);
}

/** `<state>/reports`: where the nightly run keeps its pages. */
export function reportsDir(stateDir: string): string {
  return join(stateDir, 'reports');
}

/** The nightly run's pages: `<date>.html` (UTC) and `latest.html`, each written whole. */
export async function writeNightlyPages(stateDir: string, html: string, now: Date): Promise<{ dated: string; latest: string }> {
  const dir = reportsDir(stateDir);
  const dated = join(dir, `${now.toISOString().slice(0, 10)}.html`);
  const latest = join(dir, 'latest.html');
  await writeReportPage(dated, html);
  await writeReportPage(latest, html);
  return { dated, latest };
}
