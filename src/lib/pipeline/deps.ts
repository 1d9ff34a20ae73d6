import type { CablecastClient } from '../cablecast/client.js';
import type { ProgressFactory } from '../cli/progress.js';
import type { Config, Env } from '../config/schema.js';
import type { EngineConfig } from '../transcription/engine-config.js';
import type { EngineOverrides } from './resolve-engine.js';

/** What a command chooses for the steps it runs, on top of the configuration. */
export interface PipelineChoices {
  /** --engine, --engine-command, --model, --language. */
  engine?: EngineOverrides | undefined;
  /** Transcribe again even when the file is unchanged since its transcript. */
  force?: boolean | undefined;
  /** Forget the captions a person edited, so transcription and captions replace them. */
  discardEdits?: boolean | undefined;
  /** Where caption files go for media given on the command line (default: beside the file). */
  captionsOutDir?: string | undefined;
}

/**
 * What the pipeline's steps get from the command that runs them. Each step reads only its
 * own settings sections; clients and terminal UI are built by the command, never by a step.
 */
export interface PipelineDeps {
  config: Config;
  /** The engine after command-line overrides. */
  engine: EngineConfig;
  /** The command's one Cablecast client, built on first use; a usage error when none is configured. */
  cablecast: () => Promise<CablecastClient>;
  progress: ProgressFactory;
  /** The environment for child processes (the engine finds its model and PATH there). */
  env: Env;
  now: () => Date;
  force: boolean;
  discardEdits: boolean;
  captionsOutDir: string | undefined;
}

/** A step's view of the deps: the settings sections `K` it declares, nothing else of the configuration. */
export type StepDeps<K extends keyof Config = never> = Omit<PipelineDeps, 'config'> & { config: Pick<Config, K | 'engine'> };
