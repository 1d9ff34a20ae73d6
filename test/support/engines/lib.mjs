// Shared pieces of the stub Whisper engines: WAV reading, speech detection by frame energy,
// word timing, start logging and the fault switches tests use (README.md in this folder).
import { spawn } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, readdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

export const DEFAULT_TEXT = 'the council will now come to order please rise for the pledge of allegiance';

/** Parses a RIFF/WAVE file into mono float samples. Throws with a reason for anything else. */
export function readWav(path) {
  const buf = readFileSync(path);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error(`'${path}' is not a RIFF/WAVE file`);
  }
  let fmt;
  let data;
  for (let pos = 12; pos + 8 <= buf.length;) {
    const id = buf.toString('ascii', pos, pos + 4);
    const size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'fmt ') {
      let format = buf.readUInt16LE(body);
      if (format === 0xfffe) format = buf.readUInt16LE(body + 24); // WAVE_FORMAT_EXTENSIBLE sub-format
      fmt = {
        format,
        channels: buf.readUInt16LE(body + 2),
        sampleRate: buf.readUInt32LE(body + 4),
        bitsPerSample: buf.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      data = buf.subarray(body, Math.min(buf.length, body + size));
    }
    pos = body + size + (size % 2);
  }
  if (!fmt || !data) throw new Error(`'${path}' has no fmt or data chunk`);
  const { format, channels, sampleRate, bitsPerSample } = fmt;
  const bytes = bitsPerSample / 8;
  if (!((format === 1 && bitsPerSample === 16) || (format === 3 && bitsPerSample === 32))) {
    throw new Error(`'${path}' has unsupported sample format ${format}/${bitsPerSample}-bit`);
  }
  const frames = Math.floor(data.length / (bytes * channels));
  const samples = new Float32Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) {
      const at = (i * channels + c) * bytes;
      sum += format === 1 ? data.readInt16LE(at) / 32768 : data.readFloatLE(at);
    }
    samples[i] = sum / channels;
  }
  return { sampleRate, channels, samples, durationSec: frames / sampleRate };
}

/** Stretches of sound: 20 ms frames whose RMS clears a threshold, short gaps bridged. */
export function speechRegions(samples, sampleRate) {
  const frame = Math.max(1, Math.round(sampleRate * 0.02));
  const rms = [];
  for (let i = 0; i + frame <= samples.length; i += frame) {
    let sum = 0;
    for (let j = i; j < i + frame; j++) sum += samples[j] * samples[j];
    rms.push(Math.sqrt(sum / frame));
  }
  // A loop, not Math.max(...rms): an hour of audio has 180,000 frames, more than a call's arguments may be.
  const peak = rms.reduce((max, value) => Math.max(max, value), 0);
  if (peak < 0.005) return [];
  const threshold = Math.max(0.005, peak * 0.08);
  const regions = [];
  let start = -1;
  let lastLoud = -1;
  rms.forEach((value, k) => {
    if (value >= threshold) {
      if (start < 0) start = k;
      else if (k - lastLoud > 15) {
        regions.push([start, lastLoud + 1]);
        start = k;
      }
      lastLoud = k;
    }
  });
  if (start >= 0) regions.push([start, lastLoud + 1]);
  return regions
    .map(([a, b]) => ({ start: (a * frame) / sampleRate, end: (b * frame) / sampleRate }))
    .filter((r) => r.end - r.start >= 0.1);
}

function probabilityFor(word, index) {
  let h = index * 31;
  for (const ch of word) h = (h * 33 + ch.charCodeAt(0)) % 1000;
  return 0.7 + (h % 290) / 1000;
}

/**
 * Words spread over the speech regions: the words of STUB_WHISPER_TEXT once, shared out by
 * region length, or the default sentence repeated at about 2.5 words a second.
 */
export function timedWords(regions) {
  const given = process.env.STUB_WHISPER_TEXT?.trim();
  const pool = (given || DEFAULT_TEXT).split(/\s+/);
  const totalSec = regions.reduce((sum, r) => sum + (r.end - r.start), 0);
  const total = given ? pool.length : Math.max(regions.length, Math.round(totalSec * 2.5));
  const words = [];
  let assigned = 0;
  let cumulative = 0;
  for (const region of regions) {
    cumulative += region.end - region.start;
    const upTo = totalSec > 0 ? Math.round((total * cumulative) / totalSec) : total;
    const texts = [];
    for (; assigned < upTo; assigned++) texts.push(pool[assigned % pool.length]);
    const weight = texts.reduce((sum, t) => sum + t.length + 1, 0);
    let t = region.start;
    for (const text of texts) {
      const span = ((region.end - region.start) * (text.length + 1)) / weight;
      words.push({ text, start: t, end: t + span * 0.9, probability: probabilityFor(text, words.length) });
      t += span;
    }
  }
  return words;
}

/**
 * What a prompt does that a test can see: Whisper conditions on it as text said before, so a
 * name it holds comes out spelled as there. A heard word that matches a prompt word but for
 * case and punctuation takes the prompt's spelling (keeping its own punctuation).
 */
export function spellLikePrompt(words, prompt) {
  if (!prompt) return words;
  const key = (text) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
  const spellings = new Map(
    prompt
      .split(/\s+/)
      .map((word) => word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
      .filter((word) => word !== '')
      .map((word) => [key(word), word]),
  );
  return words.map((word) => {
    const match = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(word.text);
    const spelled = spellings.get(key(match[2]));
    return spelled ? { ...word, text: `${match[1]}${spelled}${match[3]}` } : word;
  });
}

/** Groups words into segments the way the engines roughly do: at pauses or every dozen words. */
export function segmentWords(words) {
  const segments = [];
  let current = [];
  for (const word of words) {
    const last = current.at(-1);
    if (last && (word.start - last.end > 0.8 || current.length >= 12 || word.end - current[0].start > 8)) {
      segments.push(current);
      current = [];
    }
    current.push(word);
  }
  if (current.length > 0) segments.push(current);
  return segments.map((ws) => ({ start: ws[0].start, end: ws.at(-1).end, words: ws, text: ws.map((w) => ` ${w.text}`).join('') }));
}

function logEvent(record) {
  const log = process.env.STUB_ENGINE_LOG;
  if (log) appendFileSync(log, `${JSON.stringify({ pid: process.pid, at: Date.now(), ...record })}\n`);
}

/** The inputs of a run that waits for other audio (awaitOtherAudio), for its `end` line. */
let awaiting;

/**
 * One `start` line now, and an `end` line as it exits: the run's own time (ms since the
 * process began) and, with STUB_ENGINE_AWAIT_AUDIO, the audio not its own present then.
 */
export function logStart(tool) {
  logEvent({ event: 'start', tool, argv: process.argv.slice(2) });
  process.on('exit', (code) =>
    logEvent({
      event: 'end',
      tool,
      code,
      ms: performance.now(),
      ...(awaiting ? { others: otherAudio(awaiting.dir, awaiting.inputs) } : {}),
    }),
  );
}

function runNumber() {
  const log = process.env.STUB_ENGINE_LOG;
  if (!log || !existsSync(log)) return 1;
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"event":"start"')).length;
}

/** Audio files (a name holding ".wav", symlinks aside) under `dir` that are not `inputs`, relative to `dir`. */
function otherAudio(dir, inputs) {
  const own = new Set(inputs.map((input) => (existsSync(input) ? realpathSync(input) : input)));
  for (;;) {
    try {
      return readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.includes('.wav'))
        .map((entry) => join(entry.parentPath, entry.name))
        .filter((path) => !own.has(path))
        .map((path) => relative(dir, path));
    } catch (error) {
      // A directory removed while it was being read: read again.
      if (error.code !== 'ENOENT') throw error;
    }
  }
}

/**
 * STUB_ENGINE_AWAIT_AUDIO=<dir>: the run waits (up to STUB_ENGINE_AWAIT_MS, default 60 s)
 * until audio that is not its own appears under <dir> (the next batch being extracted), and
 * logs a `saw` line naming it (none when the wait ran out); with STUB_ENGINE_AWAIT_RUNS=n
 * only the first n runs wait.
 */
export async function awaitOtherAudio(inputs) {
  const dir = process.env.STUB_ENGINE_AWAIT_AUDIO;
  if (!dir) return;
  awaiting = { dir, inputs };
  if (runNumber() > Number(process.env.STUB_ENGINE_AWAIT_RUNS ?? Infinity)) return;
  const deadline = Date.now() + Number(process.env.STUB_ENGINE_AWAIT_MS ?? 60_000);
  let files = otherAudio(dir, inputs);
  while (files.length === 0 && Date.now() < deadline) {
    await sleep(10);
    files = otherAudio(dir, inputs);
  }
  logEvent({ event: 'saw', files });
}

/** The fault to act out for this input: STUB_ENGINE_FAIL, limited by STUB_ENGINE_FAIL_FILE to inputs whose name contains it. */
export function faultFor(input) {
  const mode = process.env.STUB_ENGINE_FAIL;
  if (!mode) return undefined;
  const only = process.env.STUB_ENGINE_FAIL_FILE;
  if (only && input !== undefined && !basename(input).includes(only)) return undefined;
  return mode;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The wait before one of `steps` progress steps: STUB_ENGINE_STEP_MS, plus this step's share
 * of STUB_ENGINE_MS_PER_AUDIO_MINUTE for `durationSec` of audio (an engine of known speed).
 */
export function stepDelay(durationSec = 0, steps = 1) {
  const perMinute = Number(process.env.STUB_ENGINE_MS_PER_AUDIO_MINUTE ?? 0);
  return sleep(Number(process.env.STUB_ENGINE_STEP_MS ?? 0) + (perMinute * durationSec) / 60 / steps);
}

/**
 * With STUB_ENGINE_HOLD_FILE, waits before transcribing until that file exists: a test that
 * needs the engine (and so the run) still busy while it looks holds it for exactly as long as
 * it looks, where a fixed delay would be too short on a busy machine or wasted on a quiet one.
 */
export async function holdUntilReleased() {
  const file = process.env.STUB_ENGINE_HOLD_FILE;
  if (!file) return;
  while (!existsSync(file)) await sleep(20);
}

/**
 * Gets ready to hang like a wedged engine: starts a helper process in the same process group
 * (Python engines have workers), records both pids in STUB_ENGINE_PIDS before the first
 * progress line, optionally ignores SIGTERM. Call hangForever() later to stop making progress.
 */
export function prepareHang() {
  const ignoreTerm = process.env.STUB_ENGINE_IGNORE_SIGTERM === '1';
  const helperCode = ignoreTerm ? "process.on('SIGTERM', () => {}); setInterval(() => {}, 1e6);" : 'setInterval(() => {}, 1e6);';
  const helper = spawn(process.execPath, ['-e', helperCode], { stdio: 'ignore' });
  if (ignoreTerm) process.on('SIGTERM', () => {});
  const pids = process.env.STUB_ENGINE_PIDS;
  if (pids) writeFileSync(pids, JSON.stringify({ engine: process.pid, helper: helper.pid }));
}

export function hangForever() {
  setInterval(() => {}, 1e6);
  return new Promise(() => {});
}

export function writeBadJson(path) {
  writeFileSync(path, '{"text": " the council will", "segments": [{"start": 0.0, "end"');
}

/** "HH:MM:SS,mmm" (whisper.cpp JSON) or "HH:MM:SS.mmm" (its console lines). */
export function clockTime(sec, comma) {
  const ms = Math.round(sec * 1000);
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${pad(s)}${comma ? ',' : '.'}${pad(ms % 1000, 3)}`;
}

/** Whisper's language codes (tokenizer.LANGUAGES keys). */
export const LANGUAGE_CODES = (
  'en zh de es ru ko fr ja pt tr pl ca nl ar sv it id hi fi vi he uk el ms cs ro da hu ta no th ur hr bg lt la mi ml ' +
  'cy sk te fa lv bn sr az sl kn et mk br eu is hy ne mn bs kk sq sw gl mr pa si km sn yo so af oc ka be tg sd gu am ' +
  'yi lo uz fo ht ps tk nn mt sa lb my bo tl mg as tt haw ln ha ba jw su yue'
).split(' ');

export const LANGUAGE_NAMES = { en: 'english', es: 'spanish', fr: 'french', de: 'german', so: 'somali', vi: 'vietnamese' };
