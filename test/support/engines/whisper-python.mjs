// Stubs of the openai-whisper CLI (`whisper`, whisper/transcribe.py cli()) and of
// whisper-ctranslate2 (faster-whisper), which copies its flags and JSON. Differences that
// matter are kept: whisper-ctranslate2 only takes model names in --model (paths go in
// --model_directory), has --compute_type/--vad_filter, reports the language by name, and
// dies on a bad file where openai-whisper prints "Skipping ..." and goes on.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { ArgparseExit, parseArgs } from './argparse.mjs';
import {
  LANGUAGE_CODES,
  LANGUAGE_NAMES,
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

const OPENAI_MODELS = [
  'tiny.en',
  'tiny',
  'base.en',
  'base',
  'small.en',
  'small',
  'medium.en',
  'medium',
  'large-v1',
  'large-v2',
  'large-v3',
  'large',
  'large-v3-turbo',
  'turbo',
];
const CT2_MODELS = [
  'tiny',
  'tiny.en',
  'base',
  'base.en',
  'small',
  'small.en',
  'medium',
  'medium.en',
  'large-v1',
  'large-v2',
  'large-v3',
  'large-v3-turbo',
  'turbo',
  'distil-large-v2',
  'distil-large-v3',
  'distil-medium.en',
  'distil-small.en',
];
const LANGUAGE_CHOICES = [...LANGUAGE_CODES].sort().concat(
  Object.values(LANGUAGE_NAMES)
    .map((n) => n[0].toUpperCase() + n.slice(1))
    .sort(),
);
const FORMATS = ['txt', 'vtt', 'srt', 'tsv', 'json', 'all'];

function commonOptions(bool) {
  return [
    { flags: ['-h', '--help'], action: 'help' },
    { flags: ['--output_dir', '-o'], default: '.' },
    { flags: ['--output_format', '-f'], choices: FORMATS, default: 'all' },
    { flags: ['--verbose'], type: bool, default: true },
    { flags: ['--task'], choices: ['transcribe', 'translate'], default: 'transcribe' },
    { flags: ['--language'], choices: LANGUAGE_CHOICES, default: null },
    { flags: ['--temperature'], type: 'float' },
    { flags: ['--best_of'], type: 'optional_int' },
    { flags: ['--beam_size'], type: 'optional_int' },
    { flags: ['--patience'], type: 'float' },
    { flags: ['--length_penalty'], type: 'float' },
    { flags: ['--suppress_tokens'] },
    { flags: ['--initial_prompt'] },
    { flags: ['--condition_on_previous_text'], type: bool },
    { flags: ['--temperature_increment_on_fallback'], type: 'optional_float' },
    { flags: ['--compression_ratio_threshold'], type: 'optional_float' },
    { flags: ['--logprob_threshold'], type: 'optional_float' },
    { flags: ['--no_speech_threshold'], type: 'optional_float' },
    { flags: ['--word_timestamps'], type: bool, default: false },
    { flags: ['--prepend_punctuations'] },
    { flags: ['--append_punctuations'] },
    { flags: ['--highlight_words'], type: bool },
    { flags: ['--max_line_width'], type: 'optional_int' },
    { flags: ['--max_line_count'], type: 'optional_int' },
    { flags: ['--max_words_per_line'], type: 'optional_int' },
    { flags: ['--threads'], type: 'optional_int' },
    { flags: ['--hallucination_silence_threshold'], type: 'optional_float' },
  ];
}

const FLAVOURS = {
  openai: {
    prog: 'whisper',
    positional: { name: 'audio', nargs: '+' },
    options: [
      ...commonOptions('str2bool'),
      {
        flags: ['--model'],
        default: 'turbo',
        validate: (v) =>
          OPENAI_MODELS.includes(v) || existsSync(v)
            ? undefined
            : `model should be one of ${JSON.stringify(OPENAI_MODELS)} or path to a model checkpoint`,
      },
      { flags: ['--model_dir'] },
      { flags: ['--device'], default: 'cpu' },
      { flags: ['--fp16'], type: 'str2bool' },
      { flags: ['--clip_timestamps'] },
      { flags: ['--carry_initial_prompt'], type: 'str2bool' },
    ],
    languageOut: (code) => code,
  },
  ctranslate2: {
    prog: 'whisper-ctranslate2',
    positional: { name: 'audio', nargs: '*' },
    options: [
      ...commonOptions('str2bool_lenient'),
      { flags: ['--model'], choices: CT2_MODELS, default: 'small' },
      { flags: ['--model_directory'] },
      { flags: ['--model_dir'] },
      { flags: ['--local_files_only'], type: 'str2bool_lenient' },
      { flags: ['--pretty_json', '-p'], type: 'str2bool_lenient' },
      { flags: ['--print_colors'], type: 'str2bool_lenient' },
      { flags: ['--device'], choices: ['auto', 'cpu', 'cuda'], default: 'auto' },
      { flags: ['--device_index'], type: 'int' },
      {
        flags: ['--compute_type'],
        choices: ['default', 'auto', 'int8', 'int8_float16', 'int8_bfloat16', 'int8_float32', 'int16', 'float16', 'float32', 'bfloat16'],
      },
      { flags: ['--prompt_reset_on_temperature'], type: 'float' },
      { flags: ['--prefix'] },
      { flags: ['--suppress_blank'], type: 'str2bool_lenient' },
      { flags: ['--repetition_penalty'], type: 'float' },
      { flags: ['--no_repeat_ngram_size'], type: 'int' },
      { flags: ['--hotwords'] },
      { flags: ['--batched'], type: 'str2bool_lenient' },
      { flags: ['--batch_size'], type: 'optional_int' },
      { flags: ['--vad_filter'], type: 'str2bool_lenient', default: false },
      { flags: ['--vad_onset'], type: 'float' },
      { flags: ['--vad_min_speech_duration_ms'], type: 'int' },
      { flags: ['--vad_max_speech_duration_s'], type: 'int' },
      { flags: ['--vad_min_silence_duration_ms'], type: 'int' },
      { flags: ['--version'], action: 'version', version: 'whisper-ctranslate2 0.5.3' },
      { flags: ['--hf_token'] },
      { flags: ['--speaker_name'] },
      { flags: ['--speaker_num'], type: 'int' },
      { flags: ['--live_transcribe'], type: 'str2bool_lenient' },
      { flags: ['--live_volume_threshold'], type: 'float' },
      { flags: ['--live_input_device'], type: 'int' },
    ],
    languageOut: (code) => {
      const name = LANGUAGE_NAMES[code] ?? code;
      return name[0].toUpperCase() + name.slice(1);
    },
  },
};

const toCode = (language) => {
  if (language === null) return 'en';
  const byName = Object.entries(LANGUAGE_NAMES).find(([, name]) => name === language.toLowerCase());
  return byName ? byName[0] : language;
};

function tqdm(pct, done, total, unit) {
  const filled = Math.floor(pct / 10);
  const bar = '█'.repeat(filled) + ' '.repeat(10 - filled);
  return `\r${String(pct).padStart(3)}%|${bar}| ${done}/${total} [00:01<00:01, 123.45${unit}/s]`;
}

function transcriptDocument(flavour, segments, language) {
  const rounded = (x) => Math.round(x * 100) / 100;
  return {
    text: segments.map((s) => s.text).join(''),
    segments: segments.map((segment, id) => ({
      id,
      seek: Math.floor(segment.start * 100),
      start: rounded(segment.start),
      end: rounded(segment.end),
      text: segment.text,
      tokens: segment.words.map((_, k) => 50365 + k),
      temperature: 0.0,
      avg_logprob: -0.25,
      compression_ratio: 1.4,
      no_speech_prob: 0.01,
      ...(segment.words[0]?.timed
        ? {
            words: segment.words.map((w) => ({
              start: rounded(w.start),
              end: rounded(w.end),
              word: ` ${w.text}`,
              probability: w.probability,
            })),
          }
        : {}),
    })),
    language,
  };
}

function writeOutputs(format, dir, audioPath, document, fault) {
  const stem = basename(audioPath, extname(audioPath));
  const write = (ext, text) => writeFileSync(join(dir, `${stem}.${ext}`), text);
  if (format === 'json' || format === 'all') {
    if (fault === 'bad-json') writeBadJson(join(dir, `${stem}.json`));
    else write('json', JSON.stringify(document));
  }
  if (format === 'txt' || format === 'all') write('txt', document.segments.map((s) => `${s.text.trim()}\n`).join(''));
}

async function transcribeOne(flavour, args, audioPath) {
  const fault = faultFor(audioPath);
  let audio;
  try {
    audio = readWav(audioPath);
  } catch (error) {
    throw new Error(`Failed to load audio: ${error.message}`);
  }
  const heard = spellLikePrompt(timedWords(speechRegions(audio.samples, audio.sampleRate)), args.initial_prompt);
  const words = heard.map((w) => ({ ...w, timed: args.word_timestamps }));
  const segments = segmentWords(words);
  const language = toCode(args.language);
  if (flavour === FLAVOURS.ctranslate2) {
    process.stdout.write(`Detected language '${flavour.languageOut(language)}' with probability 1.000000\n`);
  } else if (args.language === null && args.verbose !== false) {
    process.stdout.write(`Detected language: ${flavour.languageOut(language)}\n`);
  }
  await holdUntilReleased();
  if (fault === 'hang') prepareHang();
  const frames = Math.round(audio.durationSec * 100);
  const showBar = args.verbose === false;
  for (let pct = 0; pct <= 100; pct += 10) {
    await stepDelay(audio.durationSec, 11);
    if (showBar) {
      const done = flavour === FLAVOURS.openai ? Math.round((frames * pct) / 100) : ((audio.durationSec * pct) / 100).toFixed(2);
      const total = flavour === FLAVOURS.openai ? frames : audio.durationSec.toFixed(2);
      process.stderr.write(tqdm(pct, done, total, flavour === FLAVOURS.openai ? 'frames' : 'seconds'));
    }
    if (fault === 'hang' && pct >= 10) await hangForever();
    if (fault === 'exit' && pct >= 50) {
      process.stderr.write('\nTraceback (most recent call last):\n  File "transcribe.py", line 279, in transcribe\n');
      process.stderr.write('RuntimeError: CUDA error: out of memory\n');
      process.exit(1);
    }
  }
  if (showBar) process.stderr.write('\n');
  if (!showBar) {
    for (const s of segments) process.stdout.write(`[${s.start.toFixed(3)} --> ${s.end.toFixed(3)}] ${s.text}\n`);
  }
  const document = transcriptDocument(flavour, segments, flavour.languageOut(language));
  writeOutputs(args.output_format, args.output_dir, audioPath, document, fault);
}

export async function main(flavourName) {
  const flavour = FLAVOURS[flavourName];
  logStart(flavour.prog);
  let args;
  try {
    args = parseArgs(flavour.prog, flavour, process.argv.slice(2));
  } catch (error) {
    if (error instanceof ArgparseExit) process.exit(Number(error.message));
    throw error;
  }
  mkdirSync(args.output_dir, { recursive: true });
  if (flavour === FLAVOURS.ctranslate2) {
    if (args.audio.length === 0) {
      process.stderr.write('You need to specify one or more audio files\nUse `whisper-ctranslate2 --help` to see the available options.\n');
      return;
    }
    if (args.model_directory && !existsSync(join(args.model_directory, 'model.bin'))) {
      process.stderr.write(
        `Traceback (most recent call last):\nRuntimeError: Model file '${join(args.model_directory, 'model.bin')}' does not exists\n`,
      );
      process.exit(1);
    }
    args.output_dir = resolve(args.output_dir);
  }
  await awaitOtherAudio(args.audio);
  for (const audioPath of args.audio) {
    try {
      await transcribeOne(flavour, args, audioPath);
    } catch (error) {
      if (flavour === FLAVOURS.ctranslate2) {
        process.stderr.write(
          `Traceback (most recent call last):\n  File "whisper_ctranslate2.py", line 400, in main\nRuntimeError: ${error.message}\n`,
        );
        process.exit(1);
      }
      process.stderr.write(
        `Traceback (most recent call last):\n  File "transcribe.py", line 600, in cli\nRuntimeError: ${error.message}\n`,
      );
      process.stdout.write(`Skipping ${audioPath} due to RuntimeError: ${error.message}\n`);
    }
  }
}
