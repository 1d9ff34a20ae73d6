import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import type { Report } from '../../src/lib/report/model.js';
import { startCablecastServer, type CablecastServer, type ShowRecord } from '../support/cablecast-server.js';
import { dumpDom, keepArtifact, screenshot } from '../support/chromium.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv } from '../support/engines/stub-engines.js';
import { speechVideo, videoWithoutAudio } from '../support/media.js';

const SPOKEN = 'Welcome to the Lake Elmo city council. We begin with public comment.';
const BROKEN = 'Lake Elmo Planning 2026-11-24.mp4';
/** The title Archivist reads from the Flex file name. */
const BROKEN_TITLE = 'Lake Elmo Planning';

/**
 * The "Done when": a nightly run with one good recording (a Cablecast VOD) and one
 * broken one (a share file with no sound). The report lists both with outcome, reason and
 * files, as JSON and as a page Chromium renders; the run left latest.html behind.
 */
describe(`the morning report after a nightly run (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let server: CablecastServer;
  let dir: string;
  let config: string;
  let env: Record<string, string>;
  let show: ShowRecord;
  let share: string;

  beforeAll(async () => {
    testDb = await createTestDatabase();
    server = await startCablecastServer({ username: 'archivist', password: 's3cret' });
    dir = await mkdtemp(join(tmpdir(), 'archivist-report-'));
    const video = await readFile(await speechVideo(dir, 'source.mp4', SPOKEN));
    show = server.addShow({ location: 3, eventDate: '2026-11-24T19:00:00-06:00', title: 'Lake Elmo City Council' });
    server.addVodFile(show.id, video);
    share = join(dir, 'flex-3');
    await mkdir(share);
    await videoWithoutAudio(share, BROKEN);
    const twoHoursAgo = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(share, BROKEN), twoHoursAgo, twoHoursAgo);
    const model = join(dir, 'ggml-base.en.bin');
    await writeFile(model, 'stub model');
    config = join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        sites: [{ key: 'flex3', name: 'Lake Elmo', share, patterns: ['lake elmo'], location: 3 }],
        engine: { kind: 'whisper-cpp', model },
        cablecast: { url: server.url, username: 'archivist' },
        paths: { output: join(dir, 'out'), work: join(dir, 'work') },
        discovery: { recheckSeconds: 0, settleSeconds: 60 },
      }),
    );
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: SPOKEN }), CABLECAST_PASSWORD: 's3cret' };
    const nightly = await testDb.run(['--config', config, 'process-recent-vods'], env);
    // One recording failed for good: exit 1, the other captioned.
    expect(nightly.exitCode, nightly.stderr).toBe(1);
  });

  afterAll(async () => {
    await server.close();
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  const captionFile = (): string => join(dir, 'out', 'flex3', `${show.id}-Lake-Elmo-City-Council.scc`);

  it('report --json lists both recordings with outcome, reason and files, the failure first', async () => {
    const result = await testDb.run(['--config', config, '--json', 'report'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.recordings.map((r) => [r.title, r.outcome])).toEqual([
      [BROKEN_TITLE, 'failed'],
      ['Lake Elmo City Council', 'captioned'],
    ]);
    const [broken, good] = report.recordings;
    expect(broken).toMatchObject({ step: 'probe', files: [], path: join(share, BROKEN) });
    expect(broken?.reason).toMatch(/audio/i);
    expect(broken?.jobId).toEqual(expect.any(Number));
    expect(good?.files).toContainEqual({ kind: 'caption', path: captionFile(), leftAlone: null });
    expect(good).toMatchObject({
      source: 'cablecast',
      site: 'flex3',
      siteName: 'Lake Elmo',
      reason: null,
      pending: [],
      cablecast: { showId: show.id, link: { state: 'linked', method: 'cablecast-source', writeback: null }, upload: null },
      transcript: { engine: 'whisper-cpp' },
    });
    expect(good?.quality?.captions).toBeGreaterThan(0);
    expect(good?.durationSec).toBeGreaterThan(0);
    expect(report.summary).toMatchObject({ recordings: 2, captioned: 1, failed: 1, left: 0 });
    expect(report.nights).toHaveLength(30);
    expect(report.nights.at(-1)).toMatchObject({ captioned: 1, failed: 1, runs: 1 });
    await stat(captionFile());
  });

  it('report in the terminal gives the whole reason and where the files went', async () => {
    const result = await testDb.run(['--config', config, 'report', '--site', 'flex3'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const text = result.stdout.replace(/\s+/g, ' ');
    expect(text).toMatch(/FAILED Lake Elmo Planning \(Lake Elmo, 2026-11-24, .*probe failed for good \(job \d+\): .*audio/i);
    expect(text).toContain(`caption file: ${captionFile()}`);
    expect(result.stdout.split('\n').every((line) => line.length <= 100)).toBe(true);
  });

  it('report --html renders in Chromium with both titles, the reason and the caption file; the nightly run wrote latest.html', async () => {
    const page = join(dir, 'report.html');
    const result = await testDb.run(['--config', config, 'report', '--html', page], env);
    expect(result.exitCode, result.stderr).toBe(0);
    const png = join(dir, 'report-phone.png');
    await screenshot(page, png);
    onTestFailed(async () => {
      console.error(`screenshot of the failing page: ${await keepArtifact(png)}`);
    });
    const dom = await dumpDom(page);
    const titles = [...dom.matchAll(/<span class="title">([^<]*)<\/span>/g)].map((m) => m[1]);
    expect(titles).toEqual([BROKEN_TITLE, 'Lake Elmo City Council']);
    expect(dom).toMatch(
      /<article class="recording bad" data-outcome="failed"[^>]*>[\s\S]*<p class="reason">probe failed for good \(job \d+\): [^<]*audio/i,
    );
    expect(dom).toContain(`caption file: ${captionFile()}`);
    expect(dom).toMatch(/<svg class="chart"[\s\S]*<rect class="hours"/);
    // Self-contained: nothing to fetch.
    expect(dom).not.toMatch(/<(script|link)\b|\bsrc=/i);
    expect((await stat(png)).size).toBeGreaterThan(1000);

    const latest = await readFile(join(testDb.stateDir, 'reports', 'latest.html'), 'utf8');
    expect(latest).toContain('Lake Elmo City Council');
    await stat(join(testDb.stateDir, 'reports', `${new Date().toISOString().slice(0, 10)}.html`));
  });

  it('never replaces a file that is not an Archivist report', async () => {
    const foreign = join(dir, 'notes.html');
    await writeFile(foreign, "<p>the clerk's own page</p>");
    const result = await testDb.run(['--config', config, 'report', '--html', foreign], env);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(`${foreign} exists and is not an Archivist report`);
    expect(await readFile(foreign, 'utf8')).toBe("<p>the clerk's own page</p>");
  });
});
