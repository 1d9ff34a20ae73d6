import type { Config, Env } from '../config/schema.js';
import type { CablecastClient } from '../cablecast/client.js';
import type { Db } from '../db/schema.js';
import type { EngineConfig } from '../transcription/engine-config.js';

/** `unknown`: the check could not tell (a server that gives no way to know). Only `fail` fails doctor. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'unknown';

/** One line of doctor's report: data, so a command prints it and a test reads it. */
export interface CheckResult {
  /** What was checked: "cablecast credentials", "share flex1", "paths.output". */
  name: string;
  status: CheckStatus;
  /** Where: a path, a URL, a command. */
  where: string;
  detail: string;
  /** For a failure: 2 when a person must fix a setting (credentials, a path), 3 when something does not answer. */
  exitCode?: 2 | 3;
}

/** Cablecast as doctor sees it: the command builds both clients, so no check builds one. */
export interface DoctorCablecast {
  /** The command's one client, with the configured credentials; the command closes it. */
  client: () => Promise<CablecastClient>;
  /** A new client to the same server with the same transport settings and no credentials; the caller closes it. */
  anonymous: () => CablecastClient;
}

/** What every check may look at. */
export interface DoctorContext {
  config: Config;
  engine: EngineConfig;
  env: Env;
  cwd: string;
  db: () => Promise<Db>;
  /** Null when no Cablecast is configured. */
  cablecast: DoctorCablecast | null;
}

/** A check: one or more results (one per share, say). Never throws: a problem is a `fail` result. */
export type DoctorCheck = (ctx: DoctorContext) => Promise<CheckResult[]>;
