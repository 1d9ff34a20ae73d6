import { access, copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { REPO } from './cli.js';

/** Debian's chromium: CI installs it (.ci/run); a machine without it fails the test, saying so. */
export const CHROMIUM = process.env.ARCHIVIST_TEST_CHROMIUM ?? '/usr/bin/chromium';
/** Where a failing test leaves its screenshot for CI to keep (gitignored). */
export const TEST_ARTIFACTS = join(REPO, 'test-artifacts');

/** A fresh profile each time, and nothing that could reach the network on its own. */
async function chromium(args: readonly string[], url: string): Promise<string> {
  try {
    await access(CHROMIUM);
  } catch {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium; .ci/run does) to run the report page test`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'archivist-chromium-'));
  try {
    const { stdout } = await execa(
      CHROMIUM,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        `--user-data-dir=${profile}`,
        ...args,
        url,
      ],
      { timeout: 60_000 },
    );
    return stdout;
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** The page's DOM after Chromium has parsed and laid it out, serialised. */
export function dumpDom(file: string): Promise<string> {
  return chromium(['--dump-dom'], pathToFileURL(file).href);
}

/** A phone-sized (390×844) screenshot of the page. */
export async function screenshot(file: string, png: string): Promise<void> {
  await chromium([`--screenshot=${png}`, '--window-size=390,844'], pathToFileURL(file).href);
}

/** Keeps a screenshot under test-artifacts/ (a failing test's evidence for CI). */
export async function keepArtifact(file: string): Promise<string> {
  await mkdir(TEST_ARTIFACTS, { recursive: true });
  const kept = join(TEST_ARTIFACTS, basename(file));
  await copyFile(file, kept);
  return kept;
}
