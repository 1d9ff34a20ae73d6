import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaptionFileExistsError, captionsFromTranscript, writeCaptionFiles } from '../../src/lib/captions/files.js';
import { decodeScc } from '../../src/lib/captions/scc-decode.js';
import { parseTranscript } from '../../src/lib/captions/transcript.js';
import { runArchivist } from '../support/cli.js';
import { openAiJson, syntheticSpeech, whisperCppJson } from '../support/transcripts/generate.js';
import { stringContaining } from '../support/matchers.js';

const transcript = parseTranscript(openAiJson(syntheticSpeech(200, 4)), 'm.json');
const captions = captionsFromTranscript(transcript, { maxRows: 2 });

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'archivist-captions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeCaptionFiles', () => {
  it('writes each format as <name>.<format> and leaves no temp files', async () => {
    const written = await writeCaptionFiles({ captions, outDir: dir, name: 'Council (2022)', formats: ['scc', 'srt', 'vtt'] });
    expect(written.map((w) => w.path)).toEqual(['scc', 'srt', 'vtt'].map((f) => join(dir, `Council (2022).${f}`)));
    expect((await readdir(dir)).sort()).toEqual(['Council (2022).scc', 'Council (2022).srt', 'Council (2022).vtt']);
    expect(decodeScc(await readFile(join(dir, 'Council (2022).scc'), 'utf8')).problems).toEqual([]);
    expect(await readFile(join(dir, 'Council (2022).vtt'), 'utf8')).toMatch(/^WEBVTT\n/);
  });

  it('never replaces an existing sidecar, names it, and writes nothing else', async () => {
    await writeFile(join(dir, 'm.srt'), 'theirs');
    const attempt = writeCaptionFiles({ captions, outDir: dir, name: 'm', formats: ['scc', 'srt'] });
    await expect(attempt).rejects.toBeInstanceOf(CaptionFileExistsError);
    await expect(attempt).rejects.toMatchObject({
      path: join(dir, 'm.srt'),
      message: stringContaining(`${join(dir, 'm.srt')} already exists`),
    });
    expect(await readdir(dir)).toEqual(['m.srt']);
    expect(await readFile(join(dir, 'm.srt'), 'utf8')).toBe('theirs');
  });

  it('replaces existing files when told to overwrite', async () => {
    await writeFile(join(dir, 'm.scc'), 'old');
    await writeCaptionFiles({ captions, outDir: dir, name: 'm', formats: ['scc'], overwrite: true });
    expect(await readFile(join(dir, 'm.scc'), 'utf8')).toMatch(/^Scenarist_SCC V1\.0/);
  });
});

describe('archivist captions', () => {
  // The built program (npm test builds first), with its state kept in the test's directory.
  const run = (args: string[]) => runArchivist(args, { ARCHIVIST_STATE_DIR: join(dir, 'state') });

  it('writes <name>.scc/.srt/.vtt for a transcript, then validates the SCC', async () => {
    const input = join(dir, 'meeting.json');
    await writeFile(input, JSON.stringify(whisperCppJson(syntheticSpeech(120, 9), { full: true })));
    const made = await run(['captions', input, '--out', join(dir, 'out'), '--max-rows', '3']);
    expect(made.stderr).toBe('');
    expect(made.exitCode).toBe(0);
    expect((await readdir(join(dir, 'out'))).sort()).toEqual(['meeting.scc', 'meeting.srt', 'meeting.vtt']);

    const again = await run(['captions', input, '--out', join(dir, 'out'), '--formats', 'srt']);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toContain(`${join(dir, 'out', 'meeting.srt')} already exists; not replacing it (pass --overwrite to replace it)`);

    const checked = await run(['--json', 'captions', 'validate', join(dir, 'out', 'meeting.scc')]);
    expect(checked.exitCode).toBe(0);
    const report = JSON.parse(checked.stdout) as { captions: { lines: string[] }[]; problems: unknown[] };
    expect(report.problems).toEqual([]);
    expect(report.captions.flatMap((c) => c.lines.join(' ').split(' '))).toHaveLength(120);
  });

  it('exits 1 and lists the problems of a broken SCC; 2 on bad input', async () => {
    const bad = join(dir, 'legacy.scc');
    await writeFile(bad, 'Scenarist_SCC V1.0\n\n00:00:01:00\t9420 9420 94d0 4869 942f\n');
    const checked = await run(['captions', 'validate', bad]);
    expect(checked.exitCode).toBe(1);
    expect(checked.stdout).toContain(`${bad}:3: word 4 4869 fails odd parity`);
    expect(checked.stdout).toMatch(/non-drop-frame/);

    const srt = join(dir, 'meeting.srt');
    await writeFile(srt, '1\n00:00:01,000 --> 00:00:03,000\nGood evening.\n\n2\n00:00:03,500 --> 00:00:05,000\nRoll call.\n');
    const notScc = await run(['captions', 'validate', srt]);
    expect(notScc.exitCode).toBe(1);
    expect(notScc.stdout).toBe(
      `${srt}:1: not an SCC file (no "Scenarist_SCC V1.0" line and no timecoded lines of hex words)\n0 captions, 1 problems\n`,
    );

    await writeFile(join(dir, 'bad.json'), '{"transcription": [{"offsets": {"from": "x", "to": 1}, "text": ""}]}');
    const invalid = await run(['captions', join(dir, 'bad.json')]);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stderr).toContain('bad.json: transcription[0].offsets.from: expected a number, got string');
    const formats = await run(['captions', join(dir, 'bad.json'), '--formats', 'scc,ass']);
    expect(formats.exitCode).toBe(2);
    expect(formats.stderr).toContain('--formats');
  });

  it('reports the quality figures and dropped segments with --json, warns about what SCC cannot carry, and validates with --stats', async () => {
    const input = join(dir, 'council.json');
    const seg = (text: string, start: number, scores: Record<string, number> = {}) => {
      const words = text
        .split(' ')
        .map((w, i) => ({ word: ` ${w}`, start: start + i * 0.4, end: start + i * 0.4 + 0.35, probability: 0.9 }));
      return { start, end: words.at(-1)?.end ?? start, text: ` ${text}`, words, ...scores };
    };
    await writeFile(
      input,
      JSON.stringify({
        segments: [
          seg('Good evening, Council member Kowalski.', 1),
          seg('Thanks for watching!', 30, { no_speech_prob: 0.9, avg_logprob: -1.5 }),
          seg('Добрый вечер.', 60),
        ],
      }),
    );
    const config = join(dir, 'config.json');
    await writeFile(config, JSON.stringify({ captions: { substitutions: [{ from: 'Council member', to: 'Councilmember' }] } }));
    const made = await run(['--config', config, '--json', 'captions', input, '--out', join(dir, 'out')]);
    expect(made.exitCode).toBe(0);
    expect(made.stderr).toContain('council.json: SCC could not carry 11 characters, 1 line shown as a bracketed note');
    const report = JSON.parse(made.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      substitutions: 1,
      quality: { words: 6, captions: 2, sccUncarried: 11, sccNotes: 1, droppedSegments: { 'no-speech': 1 }, lowProbabilityShare: 0 },
      dropped: [{ text: 'Thanks for watching!', reason: 'no-speech', detail: 'no_speech_prob 0.9, avg_logprob -1.5' }],
    });
    expect(await readFile(join(dir, 'out', 'council.srt'), 'utf8')).toContain('Добрый вечер.');

    const stats = await run(['captions', 'validate', '--stats', join(dir, 'out', 'council.scc')]);
    expect(stats.exitCode).toBe(0);
    expect(stats.stdout).toMatch(/^captions +2$/mu);
    expect(stats.stdout).toMatch(/^bracketed notes +1 /mu);
    const json = await run(['--json', 'captions', 'validate', '--stats', join(dir, 'out', 'council.scc')]);
    expect(JSON.parse(json.stdout)).toMatchObject({ stats: { captions: 2, words: 6, notes: 1 }, problems: [] });

    const late = join(dir, 'late.json');
    await writeFile(late, JSON.stringify({ segments: [seg('Hello.', 1), seg('Much later.', 90_000)] }));
    const refused = await run(['captions', late, '--out', join(dir, 'late')]);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('late.json: word 2 "Much" at 25:00:00.4 (90000.35 s) is past 24 hours');
    expect(await readdir(dir)).not.toContain('late');
  });
});
