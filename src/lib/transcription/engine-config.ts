export const engineKinds = ['whisper-cpp', 'openai-whisper', 'faster-whisper'] as const;
export type EngineKind = (typeof engineKinds)[number];

export interface EngineConfig {
  kind: EngineKind;
  /** Executable to run instead of the kind's default (`engine.command` / `--engine-command`). */
  command?: string | undefined;
  /** whisper.cpp: path to a ggml model file; Python CLIs: a model name or a model path/directory. */
  model: string;
  /** ISO code such as "en", or "auto" to let the engine detect it. */
  language: string;
  /** Extra flags appended verbatim (`engine.args`). */
  args: string[];
  threads?: number | undefined;
  device?: string | undefined;
  computeType?: string | undefined;
  vad?: boolean | undefined;
}

/** The executable each kind runs unless `command` overrides it. */
export const defaultEngineCommand: Record<EngineKind, string> = {
  'whisper-cpp': 'whisper-cli',
  'openai-whisper': 'whisper',
  'faster-whisper': 'whisper-ctranslate2',
};

export function engineCommand(engine: EngineConfig): string {
  return engine.command ?? defaultEngineCommand[engine.kind];
}
