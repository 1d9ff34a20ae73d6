/**
 * CPU time to caption a 3-hour, 20,000-word meeting with every failure mode the generator
 * has (hallucinations, seek overlaps, segments out of order, other scripts) in-process:
 * parse the engine JSON (openai-whisper and whisper.cpp -ojf), check times, filter
 * hallucinations, segment, encode SCC + SRT + WebVTT and compute the quality figures.
 * Target: under one second of CPU. The baseline, measured in the same run, is JSON.parse of
 * the same transcript text: the least any reader of it has to spend.
 *
 * Then the same transcript through the built CLI, `archivist captions <file> --out <dir>`,
 * whole process (start-up, config, reading, writing SCC, SRT and WebVTT), against `node -e 0`.
 * Target: under one second.
 *
 *   npx tsx bench/captions.ts
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCaptions, formatCaptions } from '../src/lib/captions/files.js';
import { decodeScc } from '../src/lib/captions/scc-decode.js';
import { segmentCaptions } from '../src/lib/captions/segment.js';
import { parseTranscript } from '../src/lib/captions/transcript.js';
import { openAiJson, troubledMeeting, whisperCppJson } from '../test/support/transcripts/generate.js';
import { CLI, loadAverage, measureNode, median as medianOf } from './support/measure.js';

const ROUNDS = 5;
const meeting = troubledMeeting(20000, 7);
const spoken = meeting.spoken;
const inputs = {
  'openai-whisper': JSON.stringify(openAiJson(meeting.plan)),
  'whisper.cpp -ojf': JSON.stringify(whisperCppJson(meeting.plan, { full: true })),
};

function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
}

/** Median of ROUNDS runs after one warm-up, so JIT compilation is not what is measured. */
function median(work: () => void): number {
  work();
  const times = Array.from({ length: ROUNDS }, () => cpuMs(work)).sort((a, b) => a - b);
  return times[Math.floor(ROUNDS / 2)] ?? Number.NaN;
}

console.log(
  `captions benchmark: ${spoken.length} words, ${((spoken.at(-1)?.end ?? 0) / 3600).toFixed(2)} h of speech, median of ${ROUNDS}`,
);
for (const [engine, text] of Object.entries(inputs)) {
  let captionCount = 0;
  let sccBytes = 0;
  const baseline = median(() => void JSON.parse(text));
  let dropped = 0;
  const full = median(() => {
    const transcript = parseTranscript(JSON.parse(text), `${engine}.json`);
    const built = buildCaptions(transcript, { maxRows: 2, durationSeconds: (spoken.at(-1)?.end ?? 0) + 30 });
    formatCaptions(built.captions, 'srt');
    formatCaptions(built.captions, 'vtt');
    captionCount = built.captions.length;
    sccBytes = built.scc?.text.length ?? 0;
    dropped = built.dropped.length;
  });
  const transcript = parseTranscript(JSON.parse(text), engine);
  const segmentOnly = median(() => void segmentCaptions(transcript.words, { maxRows: 2 }));
  const scc = buildCaptions(transcript, { maxRows: 2 }).scc?.text ?? '';
  const decode = median(() => void decodeScc(scc));
  console.log(
    `${engine.padEnd(17)} caption (parse+check+filter+segment+scc+srt+vtt+figures) ${full.toFixed(0)} ms CPU` +
      ` = ${(full / baseline).toFixed(1)}x JSON.parse baseline (${baseline.toFixed(0)} ms);` +
      ` segment ${segmentOnly.toFixed(0)} ms = ${(segmentOnly / baseline).toFixed(1)}x; decode SCC ${decode.toFixed(0)} ms = ${(decode / baseline).toFixed(1)}x;` +
      ` ${captionCount} captions, ${dropped} segments dropped, ${(sccBytes / 1024).toFixed(0)} KiB SCC;` +
      ` target < 1000 ms: ${full < 1000 ? 'met' : 'MISSED'}`,
  );
}

const work = await mkdtemp(join(tmpdir(), 'archivist-bench-captions-'));
try {
  const file = join(work, 'meeting.json');
  await writeFile(file, inputs['openai-whisper']);
  const env = { ...process.env, DATABASE_URL: undefined, ARCHIVIST_STATE_DIR: join(work, 'state') };
  const wall = async (args: string[]): Promise<number> => {
    await measureNode(args, env);
    const times: number[] = [];
    for (let i = 0; i < ROUNDS; i++) times.push((await measureNode(args, env)).seconds);
    return medianOf(times);
  };
  const node = await wall(['-e', '0']);
  const whole = await wall([CLI, 'captions', file, '--out', join(work, 'out'), '--overwrite']);
  console.log(
    `archivist captions (built CLI, whole process, openai-whisper JSON) ${whole.toFixed(3)} s = ${(whole / node).toFixed(1)}x node -e 0 ` +
      `(${node.toFixed(3)} s), median of ${String(ROUNDS)}, load average ${await loadAverage()}; target < 1 s: ${whole < 1 ? 'met' : 'MISSED'}`,
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
