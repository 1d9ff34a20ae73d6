import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { EngineConfig } from '../transcription/engine-config.js';

/** What the pipeline's steps need from the command that runs them. */
export interface PipelineDeps {
  config: Config;
  /** The engine after command-line overrides (--engine, --engine-command, --model, --language). */
  engine: EngineConfig;
  log: Logger;
  /** Transcribe again even when the file is unchanged since its transcript. */
  force?: boolean;
  /** Where caption files go for media given on the command line (default: beside the file). */
  captionsOutDir?: string;
}
