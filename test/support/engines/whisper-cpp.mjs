// Stub of whisper.cpp's `whisper-cli` (examples/cli/cli.cpp): same argument loop (including
// its habit of exiting 0 after "unknown argument"), same -f/-of pairing, same -ojf JSON.
import { existsSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  LANGUAGE_CODES,
  clockTime,
  faultFor,
  hangForever,
  holdUntilReleased,
  prepareHang,
  awaitOtherAudio,
  logStart,
  readWav,
  segmentWords,
  speechRegions,
  spellLikePrompt,
  stepDelay,
  timedWords,
  writeBadJson,
} from './lib.mjs';

const VALUE_FLAGS = new Map(
  [
    ['-t', '--threads'],
    ['-p', '--processors'],
    ['-ot', '--offset-t'],
    ['-on', '--offset-n'],
    ['-d', '--duration'],
    ['-mc', '--max-context'],
    ['-ml', '--max-len'],
    ['-bo', '--best-of'],
    ['-bs', '--beam-size'],
    ['-ac', '--audio-ctx'],
    ['-wt', '--word-thold'],
    ['-et', '--entropy-thold'],
    ['-lpt', '--logprob-thold'],
    ['-nth', '--no-speech-thold'],
    ['-tp', '--temperature'],
    ['-tpi', '--temperature-inc'],
    ['-fp', '--font-path'],
    ['-of', '--output-file'],
    ['-l', '--language'],
    [null, '--prompt'],
    ['-m', '--model'],
    ['-f', '--file'],
    ['-oved', '--ov-e-device'],
    ['-dtw', '--dtw'],
    [null, '--suppress-regex'],
    [null, '--grammar'],
    [null, '--grammar-rule'],
    [null, '--grammar-penalty'],
    ['-vm', '--vad-model'],
    ['-vt', '--vad-threshold'],
    ['-vspd', '--vad-min-speech-duration-ms'],
    ['-vsd', '--vad-min-silence-duration-ms'],
    ['-vmsd', '--vad-max-speech-duration-s'],
    ['-vp', '--vad-speech-pad-ms'],
    ['-vo', '--vad-samples-overlap'],
  ].flatMap(([short, long]) =>
    short
      ? [
          [short, long],
          [long, long],
        ]
      : [[long, long]],
  ),
);
const NUMERIC = new Set([
  '--threads',
  '--processors',
  '--offset-t',
  '--offset-n',
  '--duration',
  '--max-context',
  '--max-len',
  '--best-of',
  '--beam-size',
  '--audio-ctx',
  '--word-thold',
  '--entropy-thold',
  '--logprob-thold',
  '--no-speech-thold',
  '--temperature',
  '--temperature-inc',
  '--grammar-penalty',
  '--vad-threshold',
  '--vad-min-speech-duration-ms',
  '--vad-min-silence-duration-ms',
  '--vad-max-speech-duration-s',
  '--vad-speech-pad-ms',
  '--vad-samples-overlap',
]);
const SWITCHES = new Map(
  [
    ['-debug', '--debug-mode'],
    ['-tr', '--translate'],
    ['-di', '--diarize'],
    ['-tdrz', '--tinydiarize'],
    ['-sow', '--split-on-word'],
    ['-nf', '--no-fallback'],
    ['-otxt', '--output-txt'],
    ['-ovtt', '--output-vtt'],
    ['-osrt', '--output-srt'],
    ['-owts', '--output-words'],
    ['-olrc', '--output-lrc'],
    ['-ocsv', '--output-csv'],
    ['-oj', '--output-json'],
    ['-ojf', '--output-json-full'],
    ['-np', '--no-prints'],
    ['-ps', '--print-special'],
    ['-pc', '--print-colors'],
    [null, '--print-confidence'],
    ['-pp', '--print-progress'],
    ['-nt', '--no-timestamps'],
    ['-dl', '--detect-language'],
    ['-ls', '--log-score'],
    ['-ng', '--no-gpu'],
    ['-fa', '--flash-attn'],
    ['-sns', '--suppress-nst'],
    [null, '--vad'],
  ].flatMap(([short, long]) =>
    short
      ? [
          [short, long],
          [long, long],
        ]
      : [[long, long]],
  ),
);

const err = (line) => process.stderr.write(`${line}\n`);

function usage() {
  err('');
  err(`usage: ${process.argv[1]} [options] file0 file1 ...`);
  err('supported audio formats: flac, mp3, ogg, wav');
  err('');
  err('options:');
  err('  -h,        --help              [default] show this help message and exit');
  err('  -m FNAME,  --model FNAME       [models/ggml-base.en.bin] model path');
  err('  -f FNAME,  --file FNAME        [       ] input audio file path');
  err('  -of FNAME, --output-file FNAME [       ] output file path (without file extension)');
  err('  -ojf,      --output-json-full  [false  ] include more information in the JSON file');
  err('  -pp,       --print-progress    [false  ] print progress');
  err('');
}

function parse(argv) {
  const params = { threads: 4, model: 'models/ggml-base.en.bin', language: 'en', inputs: [], outputs: [], switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-' || arg[0] !== '-') {
      params.inputs.push(arg);
      continue;
    }
    if (arg === '-h' || arg === '--help') {
      usage();
      process.exit(0);
    }
    const valueFlag = VALUE_FLAGS.get(arg);
    if (valueFlag) {
      if (i + 1 >= argv.length) {
        err(`error: argument ${arg} requires value`);
        process.exit(0);
      }
      const value = argv[++i];
      if (NUMERIC.has(valueFlag) && !/^\s*[-+]?\d/.test(value)) {
        // std::stoi / std::stof throw, nothing catches it, and the process aborts.
        err("terminate called after throwing an instance of 'std::invalid_argument'");
        err('  what():  stoi');
        process.kill(process.pid, 'SIGABRT');
        return undefined;
      }
      if (valueFlag === '--file') params.inputs.push(value);
      else if (valueFlag === '--output-file') params.outputs.push(value);
      else if (valueFlag === '--model') params.model = value;
      else if (valueFlag === '--language') params.language = value.toLowerCase();
      else if (valueFlag === '--threads') params.threads = Number.parseInt(value, 10);
      else if (valueFlag === '--prompt') params.prompt = value;
      continue;
    }
    const sw = SWITCHES.get(arg);
    if (sw) {
      params.switches.add(sw);
      continue;
    }
    err(`error: unknown argument: ${arg}`);
    usage();
    process.exit(0);
  }
  return params;
}

function wordTokens(word, offsetMs) {
  // Long words come out as two sub-word tokens, the second without a leading space, as BPE does.
  const text = ` ${word.text}`;
  const pieces = word.text.length > 6 ? [text.slice(0, 5), text.slice(5)] : [text];
  const from = Math.round(word.start * 100) * 10;
  const to = Math.round(word.end * 100) * 10;
  let at = from;
  return pieces.map((piece, k) => {
    const end = k === pieces.length - 1 ? to : Math.round((from + ((to - from) * piece.length) / text.length) / 10) * 10;
    const token = {
      text: piece,
      timestamps: { from: clockTime(at / 1000, true), to: clockTime(end / 1000, true) },
      offsets: { from: at, to: end },
      id: 1000 + ((offsetMs + k) % 49000),
      p: word.probability,
      t_dtw: -1,
    };
    at = end;
    return token;
  });
}

function specialToken(text, ms) {
  return {
    text,
    timestamps: { from: clockTime(ms / 1000, true), to: clockTime(ms / 1000, true) },
    offsets: { from: ms, to: ms },
    id: 50364,
    p: 0.9,
    t_dtw: -1,
  };
}

function jsonDocument(params, segments, full) {
  return {
    systeminfo: 'AVX = 1 | AVX2 = 1 | FMA = 1 | F16C = 1 | SSE3 = 1 | SSSE3 = 1',
    model: {
      type: 'base',
      multilingual: true,
      vocab: 51865,
      audio: { ctx: 1500, state: 512, head: 8, layer: 6 },
      text: { ctx: 448, state: 512, head: 8, layer: 6 },
      mels: 80,
      ftype: 1,
    },
    params: { model: params.model, language: params.language, translate: params.switches.has('--translate') },
    result: { language: params.language === 'auto' ? 'en' : params.language },
    transcription: segments.map((segment) => {
      const from = Math.round(segment.start * 100) * 10;
      const to = Math.round(segment.end * 100) * 10;
      const entry = {
        timestamps: { from: clockTime(from / 1000, true), to: clockTime(to / 1000, true) },
        offsets: { from, to },
        text: segment.text,
      };
      if (full) {
        entry.tokens = [
          specialToken('[_BEG_]', from),
          ...segment.words.flatMap((word, k) => wordTokens(word, from + k)),
          specialToken(`[_TT_${Math.round((to - from) / 20)}]`, to),
        ];
      }
      return entry;
    }),
  };
}

async function main() {
  logStart('whisper-cli');
  const params = parse(process.argv.slice(2));
  if (!params) return;
  params.inputs = params.inputs.filter((input) => {
    if (input !== '-' && !existsSync(input)) {
      err(`error: input file not found '${input}'`);
      return false;
    }
    return true;
  });
  if (params.inputs.length === 0) {
    err('error: no input files specified');
    usage();
    process.exit(2);
  }
  if (params.language !== 'auto' && !LANGUAGE_CODES.includes(params.language)) {
    err(`error: unknown language '${params.language}'`);
    usage();
    process.exit(0);
  }
  err(`whisper_init_from_file_with_params_no_state: loading model from '${params.model}'`);
  if (!existsSync(params.model)) {
    err(`whisper_model_load: failed to open '${params.model}'`);
    err('error: failed to initialize whisper context');
    process.exit(3);
  }
  await awaitOtherAudio(params.inputs);
  const printProgress = params.switches.has('--print-progress');
  for (let f = 0; f < params.inputs.length; f++) {
    const input = params.inputs[f];
    if (!['.wav', '.mp3', '.flac', '.ogg', ''].includes(extname(input).toLowerCase())) {
      err(`error: unsupported audio extension '${extname(input)}' for '${input}'.`);
      continue;
    }
    let audio;
    try {
      audio = readWav(input);
      if (audio.sampleRate !== 16000 || audio.channels !== 1) {
        throw new Error(`WAV file '${input}' must be 16 kHz mono (is ${audio.sampleRate} Hz, ${audio.channels} channels)`);
      }
    } catch (error) {
      err(`error: ${error.message}`);
      err(`error: failed to decode audio from '${input}'.`);
      continue;
    }
    const fault = faultFor(input);
    err('');
    err(`system_info: n_threads = ${params.threads} / 2 | AVX = 1 | AVX2 = 1 |`);
    err('');
    err(
      `main: processing '${input}' (${audio.samples.length} samples, ${audio.durationSec.toFixed(1)} sec), ${params.threads} threads, 1 processors, 5 beams + best of 5, lang = ${params.language}, task = transcribe, timestamps = 1 ...`,
    );
    const segments = segmentWords(spellLikePrompt(timedWords(speechRegions(audio.samples, audio.sampleRate)), params.prompt));
    await holdUntilReleased();
    if (fault === 'hang') prepareHang();
    for (let pct = 5; pct <= 100; pct += 5) {
      await stepDelay(audio.durationSec, 20);
      if (printProgress) err(`whisper_print_progress_callback: progress = ${String(pct).padStart(3)}%`);
      if (fault === 'hang' && pct >= 10) await hangForever();
      if (fault === 'exit' && pct >= 50) {
        err('whisper_full_with_state: failed to encode');
        err(`${process.argv[1]}: failed to process audio`);
        process.exit(10);
      }
    }
    for (const segment of segments) {
      process.stdout.write(`[${clockTime(segment.start)} --> ${clockTime(segment.end)}]  ${segment.text}\n`);
    }
    if (params.switches.has('--output-json') || params.switches.has('--output-json-full')) {
      const path = `${params.outputs[f] ?? input}.json`;
      err(`output_json: saving output to '${path}'`);
      if (fault === 'bad-json') writeBadJson(path);
      else writeFileSync(path, JSON.stringify(jsonDocument(params, segments, params.switches.has('--output-json-full')), null, '\t'));
    }
  }
  err('');
  err('whisper_print_timings:     load time =    12.34 ms');
  err('whisper_print_timings:    total time =   123.45 ms');
}

await main();
