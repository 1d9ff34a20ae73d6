import { basename, extname, join } from 'node:path';
import { engineCommand, type EngineConfig } from './engine-config.js';
import { enginePromptArgs } from './prompt.js';

export interface EngineInvocation {
  command: string;
  args: string[];
  /** outputs[i] is where the engine writes the JSON for inputs[i]. */
  outputs: string[];
}

function stem(path: string): string {
  return basename(path, extname(path));
}

/**
 * whisper-cli takes one `-f` per input and one `-of` per input, matched by position, and
 * writes `<of>.json`. `-pp` makes it print "progress = N%" lines we turn into progress.
 */
function whisperCppInvocation(engine: EngineConfig, inputs: readonly string[], outDir: string, prompt: string): EngineInvocation {
  const outputBases = inputs.map((input) => join(outDir, stem(input)));
  const args = [
    '-m',
    engine.model,
    '-l',
    engine.language,
    ...(engine.threads === undefined ? [] : ['-t', String(engine.threads)]),
    ...(engine.device === 'cpu' ? ['-ng'] : []),
    ...enginePromptArgs(engine.kind, prompt),
    ...engine.args,
    '-ojf',
    '-pp',
    ...inputs.flatMap((input, i) => ['-f', input, '-of', outputBases[i] ?? '']),
  ];
  return { command: engineCommand(engine), args, outputs: outputBases.map((base) => `${base}.json`) };
}

/** A model given as a path rather than a name ("large-v2"). */
function isModelPath(model: string): boolean {
  return model.includes('/') || model.includes('\\') || model.startsWith('.');
}

/**
 * openai-whisper and whisper-ctranslate2 share these flags and write `<output_dir>/<stem>.json`.
 * `--verbose False` swaps the per-segment text on stdout for a tqdm bar on stderr, which is
 * where progress comes from. Our output flags come after `engine.args` so they win.
 */
function pythonInvocation(engine: EngineConfig, inputs: readonly string[], outDir: string, prompt: string): EngineInvocation {
  const faster = engine.kind === 'faster-whisper';
  // whisper-ctranslate2 only accepts model names in --model; a converted model is a directory.
  const model = faster && isModelPath(engine.model) ? ['--model_directory', engine.model] : ['--model', engine.model];
  const args = [
    ...inputs,
    ...model,
    // "auto" is whisper.cpp's word; the Python CLIs detect the language when --language is absent.
    ...(engine.language === 'auto' ? [] : ['--language', engine.language]),
    '--word_timestamps',
    'True',
    ...(engine.threads === undefined ? [] : ['--threads', String(engine.threads)]),
    ...(engine.device === undefined ? [] : ['--device', engine.device]),
    ...(faster && engine.computeType !== undefined ? ['--compute_type', engine.computeType] : []),
    ...(faster && engine.vad !== false ? ['--vad_filter', 'True'] : []),
    ...enginePromptArgs(engine.kind, prompt),
    ...engine.args,
    '--verbose',
    'False',
    '--output_format',
    'json',
    '--output_dir',
    outDir,
  ];
  return { command: engineCommand(engine), args, outputs: inputs.map((input) => join(outDir, `${stem(input)}.json`)) };
}

/**
 * The one command line that transcribes all `inputs` in a single engine process. Inputs need
 * distinct stems. The prompt (names, titles) goes before `engine.args`, so a prompt given
 * there wins: both engines keep the last one.
 */
export function engineInvocation(engine: EngineConfig, inputs: readonly string[], outDir: string, prompt = ''): EngineInvocation {
  const stems = new Set(inputs.map(stem));
  if (stems.size !== inputs.length) {
    throw new Error('engine inputs must have distinct file stems, or their outputs would overwrite each other');
  }
  return engine.kind === 'whisper-cpp'
    ? whisperCppInvocation(engine, inputs, outDir, prompt)
    : pythonInvocation(engine, inputs, outDir, prompt);
}
