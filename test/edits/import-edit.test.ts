import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { TEST_DB_KIND, createTestDatabase, type TestDatabase } from '../support/database.js';
import { stubEnv, stubStarts } from '../support/engines/stub-engines.js';
import { speechVideoWithPause } from '../support/media.js';
import { writeShareConfig } from '../support/share-config.js';

const SPOKEN = 'next the patio permit for Lakeview';
const HEARD = 'good evening everyone and welcome back next the patio permit for Lakeview';

/** What the station's captioner corrected: a longer second cue than 608 rows hold, to be refitted. */
const EDITED_SRT = `1
00:00:00,500 --> 00:00:02,500
Good evening, everyone,
and welcome back.

2
00:00:05,000 --> 00:00:07,000
Next, the sidewalk café permit for Lakeview Avenue, which the applicant asked the council to take up tonight.
`;

const hits = z.array(z.object({ path: z.string(), start: z.number(), end: z.number(), text: z.string() }));

describe(`archivist captions import (${TEST_DB_KIND})`, () => {
  let testDb: TestDatabase;
  let dir: string;
  let share: string;
  let config: string;
  let video: string;
  let env: Record<string, string>;
  const engineLog = () => join(dir, 'engine.log');
  const sidecar = () => join(share, 'council.scc');
  const sidecarText = async () =>
    decodeScc(await readFile(sidecar(), 'latin1'))
      .captions.map((c) => c.lines.join(' '))
      .join(' ');
  const run = (...args: string[]) => testDb.run(['--config', config, ...args], env);
  const search = async (phrase: string) => {
    const result = await run('--json', 'search', phrase);
    expect(result.exitCode).toBe(0);
    return hits.parse(JSON.parse(result.stdout));
  };

  beforeAll(async () => {
    testDb = await createTestDatabase();
    dir = await mkdtemp(join(tmpdir(), 'archivist-edits-'));
    share = join(dir, 'share');
    await mkdir(share);
    config = await writeShareConfig(dir, share, { captions: { formats: ['srt'] } });
    video = (await speechVideoWithPause(share, 'council.mp4', [SPOKEN, SPOKEN], 3)).path;
    env = { ...testDb.env, ...stubEnv({ STUB_WHISPER_TEXT: HEARD, STUB_ENGINE_LOG: engineLog() }) };
    const nightly = await run('process-recent-vods');
    expect(nightly.exitCode, nightly.stderr).toBe(0);
    expect(await sidecarText()).toContain('patio permit');
  });
  afterAll(async () => {
    await testDb.drop();
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces the caption files with the edit, which search finds, and refuses what does not fit', async () => {
    const edited = join(dir, 'council corrected.srt');
    await writeFile(edited, EDITED_SRT);
    const late = join(dir, 'late.srt');
    await writeFile(late, '1\n00:09:00,000 --> 00:09:02,000\nLong after the end.\n');
    const refused = await run('captions', 'import', video, late);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('does not fit');
    const broken = join(dir, 'broken.vtt');
    await writeFile(broken, 'WEBVTT\n\n00:01.000 -> 00:02.000\nhello\n');
    const unreadable = await run('captions', 'import', video, broken);
    expect(unreadable.exitCode).toBe(2);
    expect(unreadable.stderr).toContain('broken.vtt:3: expected a cue timing');
    expect(await sidecarText()).toContain('patio permit');

    const imported = await run('captions', 'import', video, edited);
    expect(imported.exitCode, imported.stderr).toBe(0);
    expect(await sidecarText()).toContain('sidewalk café permit for Lakeview Avenue');
    const srt = await readFile(join(dir, 'out', 'flex1', 'council.srt'), 'utf8');
    expect(srt).toContain('Next, the sidewalk café permit for Lakeview Avenue, which the applicant asked the council to take up tonight.');
    expect(await search('"patio permit"')).toEqual([]);
    const [hit] = await search('"sidewalk café permit"');
    expect(hit?.path).toBe(video);
    expect(hit?.start).toBeGreaterThanOrEqual(5);
    expect(hit?.start).toBeLessThan(6);
    expect(hit?.text).toContain('«sidewalk café permit»');
  });

  it('survives transcribe --force and a nightly run after the file changed; status shows it; --discard-edits replaces it', async () => {
    const before = await readFile(sidecar());
    const starts = (await stubStarts(engineLog())).length;
    const forced = await run('transcribe', '--force', video);
    expect(forced.exitCode, forced.stderr).toBe(0);
    const later = new Date(Date.now() + 60_000);
    await utimes(video, later, later);
    const nightly = await run('process-recent-vods');
    expect(nightly.exitCode, nightly.stderr).toBe(0);
    expect(await readFile(sidecar())).toEqual(before);
    expect(await stubStarts(engineLog())).toHaveLength(starts);
    expect(await search('"sidewalk café permit"')).toHaveLength(1);

    const status = await run('status');
    expect(status.stdout).toContain('Edited by hand: 1 recording');
    expect(status.stdout).toContain('from council corrected.srt');
    const report = await run('report', '--since', '7d');
    expect(report.exitCode, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/edited by hand: captions imported from council corrected\.srt/u);
    const transcript = await run('transcript', video);
    expect(transcript.stdout).toContain('Edited by hand: the captions imported from council corrected.srt');
    expect(transcript.stdout).toContain('sidewalk café permit');

    const discarded = await run('transcribe', '--force', '--discard-edits', video);
    expect(discarded.exitCode, discarded.stderr).toBe(0);
    expect(await sidecarText()).toContain('patio permit');
    expect(await search('"patio permit"')).toHaveLength(1);
    expect((await run('status')).stdout).toContain('Edited by hand: 0 recordings');
  });
});
