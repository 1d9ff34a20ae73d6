/**
 * CPU time to caption a 3-hour, 20,000-word transcript in-process: parse the engine JSON
 * (openai-whisper and whisper.cpp -ojf), segment, and encode SCC + SRT + WebVTT. Target:
 * under one second of CPU. The baseline, measured in the same run, is JSON.parse of the
 * same transcript text: the least any reader of it has to spend.
 *
 *   npx tsx bench/captions.ts
 */
import { captionsFromTranscript, formatCaptions } from '../src/lib/captions/files.js';
import { decodeScc } from '../src/lib/captions/scc-decode.js';
import { parseTranscript } from '../src/lib/captions/transcript.js';
import { openAiJson, syntheticSpeech, whisperCppJson } from '../test/support/transcripts/generate.js';

const ROUNDS = 5;
const spoken = syntheticSpeech(20000, 7);
const inputs = {
  'openai-whisper': JSON.stringify(openAiJson(spoken)),
  'whisper.cpp -ojf': JSON.stringify(whisperCppJson(spoken, { full: true })),
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
  const full = median(() => {
    const transcript = parseTranscript(JSON.parse(text), `${engine}.json`);
    const captions = captionsFromTranscript(transcript, { maxRows: 2 });
    const scc = formatCaptions(captions, 'scc');
    formatCaptions(captions, 'srt');
    formatCaptions(captions, 'vtt');
    captionCount = captions.length;
    sccBytes = scc.length;
  });
  const transcript = parseTranscript(JSON.parse(text), engine);
  const segmentOnly = median(() => void captionsFromTranscript(transcript, { maxRows: 2 }));
  const captions = captionsFromTranscript(transcript, { maxRows: 2 });
  const scc = formatCaptions(captions, 'scc');
  const decode = median(() => void decodeScc(scc));
  console.log(
    `${engine.padEnd(17)} caption (parse+segment+scc+srt+vtt) ${full.toFixed(0)} ms CPU` +
      ` = ${(full / baseline).toFixed(1)}x JSON.parse baseline (${baseline.toFixed(0)} ms);` +
      ` segment ${segmentOnly.toFixed(0)} ms; decode SCC ${decode.toFixed(0)} ms;` +
      ` ${captionCount} captions, ${(sccBytes / 1024).toFixed(0)} KiB SCC;` +
      ` target < 1000 ms: ${full < 1000 ? 'met' : 'MISSED'}`,
  );
}
