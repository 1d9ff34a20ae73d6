import type { EngineSettings } from '../config/schema.js';
import type { EngineConfig, EngineKind } from '../transcription/engine-config.js';

/**
 * whisper.cpp loads a ggml file (kept in the state directory under systemd); the Python
 * CLIs download or find a model by name.
 */
export const DEFAULT_MODELS: Record<EngineKind, string> = {
  'whisper-cpp': '/var/lib/archivist/models/ggml-base.en.bin',
  'openai-whisper': 'base.en',
  'faster-whisper': 'base.en',
};

export interface EngineOverrides {
  engine?: EngineKind | undefined;
  engineCommand?: string | undefined;
  model?: string | undefined;
  language?: string | undefined;
}

/** The engine as configured, with the command line's choices on top. */
export function resolveEngine(settings: EngineSettings, overrides: EngineOverrides = {}): EngineConfig {
  const kind = overrides.engine ?? settings.kind;
  // A command configured for one engine kind is not the executable of another.
  const command = overrides.engineCommand ?? (overrides.engine && overrides.engine !== settings.kind ? undefined : settings.command);
  return {
    kind,
    model: overrides.model ?? (kind === settings.kind ? settings.model : undefined) ?? DEFAULT_MODELS[kind],
    language: overrides.language ?? settings.language,
    args: settings.args,
    command,
    threads: settings.threads,
    // --engine may pick another kind than the configured one: settings it has no flag for stay out.
    device: kind === 'whisper-cpp' ? undefined : settings.device,
    computeType: kind === 'faster-whisper' ? settings.computeType : undefined,
    vad: kind === 'faster-whisper' ? (settings.vad ?? true) : undefined,
  };
}
