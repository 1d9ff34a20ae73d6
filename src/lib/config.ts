import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { UsageError } from './errors.js';
import { engineKinds } from './transcription/engine-config.js';

const DEFAULT_CONFIG_FILE = '/etc/archivist/config.json';

const siteSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lower-case letters, digits, "-" or "_" (e.g. "flex1")'),
  name: z.string().min(1),
  share: z.string().min(1),
  /** Whole-word title patterns; a pattern written as /.../flags is a regular expression. */
  patterns: z.array(z.string().min(1)).default([]),
  location: z.number().int().positive().optional(),
  /** How many directory levels below the share are searched for recordings. */
  depth: z.number().int().min(0).max(16).default(2),
});

const engineSchema = z
  .strictObject({
    kind: z.enum(engineKinds).default('whisper-cpp'),
    command: z.string().min(1).optional(),
    /** Default: see DEFAULT_MODELS (whisper.cpp wants a model file, the Python CLIs a name). */
    model: z.string().min(1).optional(),
    language: z.string().min(2).default('en'),
    args: z.array(z.string()).default([]),
    threads: z.number().int().positive().optional(),
    device: z.string().min(1).optional(),
    computeType: z.string().min(1).optional(),
    /** faster-whisper's voice activity filter; on unless turned off. */
    vad: z.boolean().optional(),
    /** Files transcribed by one engine process, so the model loads once per batch. */
    batchSize: z.number().int().min(1).max(64).default(4),
    /** The engine is killed after timeoutFactor x media duration (and at least minTimeoutMinutes). */
    timeoutFactor: z.number().positive().default(3),
    minTimeoutMinutes: z.number().positive().default(10),
    audioStream: z.number().int().min(0).optional(),
  })
  // A setting the chosen engine has no flag for would be silently ignored: refuse it instead.
  .superRefine((engine, ctx) => {
    const unsupported: [keyof typeof engine, boolean, string][] = [
      ['computeType', engine.kind !== 'faster-whisper', 'only faster-whisper has --compute_type'],
      ['vad', engine.kind !== 'faster-whisper', 'only faster-whisper has --vad_filter'],
      ['device', engine.kind === 'whisper-cpp', 'whisper-cli has no --device (it uses the GPU it was built for)'],
    ];
    for (const [key, refused, message] of unsupported) {
      if (refused && engine[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message });
    }
  });

const cablecastSchema = z
  .strictObject({
    url: z.url({ protocol: /^https?$/, error: 'expected an http:// or https:// URL' }),
    username: z.string().min(1).optional(),
    password: z.string().min(1).optional(),
    passwordFile: z.string().min(1).optional(),
    verifyTls: z.boolean().default(true),
    caFile: z.string().min(1).optional(),
    timeoutSeconds: z.number().positive().default(30),
    /** Where uploads go when a show's own store is unknown. */
    fileStore: z.number().int().positive().optional(),
  })
  .refine((c) => !(c.password && c.passwordFile), {
    message: 'give either password or passwordFile, not both',
    path: ['passwordFile'],
  });

const pathsSchema = z.strictObject({
  work: z.string().min(1).optional(),
  output: z.string().min(1).optional(),
});

const captionsSchema = z.strictObject({
  maxRows: z
    .number()
    .int()
    .min(1, 'expected 1, 2 or 3')
    .max(3, 'expected 1, 2 or 3')
    .default(2)
    .transform((rows) => rows as 1 | 2 | 3),
  /** Written into paths.output besides the .scc sidecar beside the video. */
  formats: z.array(z.enum(['scc', 'srt', 'vtt'])).default(['scc', 'srt', 'vtt']),
});

const discoverySchema = z.strictObject({
  lookbackDays: z.number().positive().default(7),
  /** A file modified this recently may still be recording or copying. */
  settleSeconds: z.number().min(0).default(300),
  extensions: z.array(z.string().regex(/^[a-z0-9]+$/)).default(['mp4', 'mov', 'mxf', 'ts', 'm2ts', 'mkv', 'm4v']),
});

const jobsSchema = z
  .strictObject({
    maxAttempts: z.number().int().min(1).max(100).default(5),
    leaseSeconds: z.number().int().min(10).default(300),
    heartbeatSeconds: z.number().int().min(1).default(30),
    backoffBaseSeconds: z.number().min(0).default(60),
    backoffMaxSeconds: z
      .number()
      .min(0)
      .default(6 * 3600),
    concurrency: z.number().int().min(1).max(32).default(1),
  })
  .refine((j) => j.heartbeatSeconds * 2 <= j.leaseSeconds, {
    // A lease that can run out between two heartbeats hands a working job to another worker.
    message: 'must be at most half of jobs.leaseSeconds',
    path: ['heartbeatSeconds'],
  });

const pipelineSchema = z.strictObject({
  /** Make a captioned rendition after captions (off: Cablecast reads the .scc sidecar itself). */
  retranscode: z.boolean().default(false),
  /** Upload through Cablecast's API after captions: for sites whose share is not mounted here. */
  upload: z.boolean().default(false),
});

const retranscodeSchema = z.strictObject({
  mode: z.enum(['mov-608', 'mp4-text', 'burn']).default('mov-608'),
  /** libx264 quality and speed for `burn`, the only mode that re-encodes the picture. */
  crf: z.number().int().min(0).max(51).default(20),
  preset: z.enum(['ultrafast', 'superfast', 'veryfast', 'faster', 'fast', 'medium', 'slow', 'slower', 'veryslow']).default('veryfast'),
});

const uploadSchema = z.strictObject({
  what: z.enum(['sidecar', 'rendition']).default('sidecar'),
  /** Cablecast file store id; default: the store that holds the show's video. */
  store: z.number().int().positive().optional(),
  segmentMiB: z.number().min(1).max(64).default(5),
  /** How long to wait for Cablecast to finish processing an upload. */
  finishTimeoutMinutes: z.number().positive().default(60),
});

const linkingSchema = z.strictObject({
  /** A candidate show must score at least this (0..1) to be linked without review. */
  threshold: z.number().min(0).max(1).default(0.75),
  /** After this many unmatched attempts a link becomes needs_review. */
  maxAttempts: z.number().int().min(1).default(6),
  /** Shows whose eventDate is within this many days of the recording are candidates. */
  dateWindowDays: z.number().int().min(0).default(3),
  retryHours: z.number().positive().default(2),
  /** Write-back: a show custom field set to say the show is captioned. Omit to write nothing. */
  writeback: z
    .strictObject({
      field: z.string().min(1),
      /** {date} and {file} are replaced; e.g. "Captioned {date}: {file}". */
      value: z.string().min(1).default('Captioned {date} ({file})'),
    })
    .optional(),
});

const cleanupSchema = z.strictObject({
  /** Scratch files and partial downloads older than this are deleted. */
  scratchMaxAgeHours: z.number().positive().default(48),
  /** Finished jobs and runs older than this are pruned. */
  retentionDays: z.number().positive().default(90),
});

const databaseSchema = z.strictObject({
  url: z.string().min(1).optional(),
  /** How long a second process waits for the embedded database before giving up (exit 3). */
  embeddedLockWaitSeconds: z.number().min(0).default(60),
});

const configSchema = z.strictObject({
  sites: z.array(siteSchema).default([]),
  engine: engineSchema.default(engineSchema.parse({})),
  cablecast: cablecastSchema.optional(),
  paths: pathsSchema.default({}),
  captions: captionsSchema.default(captionsSchema.parse({})),
  discovery: discoverySchema.default(discoverySchema.parse({})),
  jobs: jobsSchema.default(jobsSchema.parse({})),
  pipeline: pipelineSchema.default(pipelineSchema.parse({})),
  retranscode: retranscodeSchema.default(retranscodeSchema.parse({})),
  upload: uploadSchema.default(uploadSchema.parse({})),
  linking: linkingSchema.default(linkingSchema.parse({})),
  cleanup: cleanupSchema.default(cleanupSchema.parse({})),
  database: databaseSchema.default(databaseSchema.parse({})),
});

export type Site = z.infer<typeof siteSchema>;
export type EngineSettings = z.infer<typeof engineSchema>;
export type JobSettings = z.infer<typeof jobsSchema>;
export type RetranscodeSettings = z.infer<typeof retranscodeSchema>;
export type UploadSettings = z.infer<typeof uploadSchema>;
export type LinkingSettings = z.infer<typeof linkingSchema>;
export type CleanupSettings = z.infer<typeof cleanupSchema>;

export interface CablecastSettings extends Omit<z.infer<typeof cablecastSchema>, 'passwordFile'> {}

export interface Config extends Omit<z.infer<typeof configSchema>, 'cablecast' | 'paths'> {
  cablecast?: CablecastSettings;
  paths: { state: string; work: string; output: string };
  /** The file the settings came from, or null when only defaults and environment apply. */
  source: string | null;
}

export type Env = Readonly<Record<string, string | undefined>>;

/** Renders a zod path the way people write it: `sites[0].share`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out === '' ? '(top level)' : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      // zod does not keep the input by default; its message still says what it received.
      const received = /received (\w+)/.exec(issue.message)?.[1];
      return received === 'undefined'
        ? `required (${withArticle(issue.expected)})`
        : `expected ${withArticle(issue.expected)}${received ? `, got ${received}` : ''}`;
    }
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    default:
      return issue.message;
  }
}

function withArticle(noun: string): string {
  return /^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`;
}

export function configProblems(error: z.ZodError, prefix = ''): string[] {
  return error.issues.map((issue) => `${prefix}${formatPath(issue.path)}: ${describeIssue(issue)}`);
}

/** The config file to read: --config, then $ARCHIVIST_CONFIG, then the system file when present. */
export function configFileFor(explicit: string | undefined, env: Env): string | null {
  if (explicit) return resolve(explicit);
  if (env.ARCHIVIST_CONFIG) return resolve(env.ARCHIVIST_CONFIG);
  return existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : null;
}

/** ARCHIVIST_STATE_DIR wins (an explicit choice), then systemd's StateDirectory, then the XDG state dir. */
export function defaultStateDir(env: Env): string {
  if (env.ARCHIVIST_STATE_DIR) return resolve(env.ARCHIVIST_STATE_DIR);
  if (env.STATE_DIRECTORY) return resolve(env.STATE_DIRECTORY.split(':')[0] ?? env.STATE_DIRECTORY);
  const base = env.XDG_STATE_HOME ?? join(env.HOME ?? homedir(), '.local', 'state');
  return join(base, 'archivist');
}

async function readSecret(path: string, what: string): Promise<string> {
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    throw new UsageError(`cannot read ${what} from ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, [], {
      cause: error,
    });
  }
}

/** A systemd credential (LoadCredential=<name>:...) when the unit provides one. */
async function credential(name: string, env: Env): Promise<string | undefined> {
  const dir = env.CREDENTIALS_DIRECTORY;
  if (!dir) return undefined;
  const path = join(dir, name);
  return existsSync(path) ? readSecret(path, `credential "${name}"`) : undefined;
}

function envNumber(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) throw new UsageError(`invalid environment`, [`${name}: expected a number, got "${raw}"`]);
  return value;
}

function envBoolean(env: Env, name: string): boolean | undefined {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return undefined;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new UsageError(`invalid environment`, [`${name}: expected true or false, got "${env[name]}"`]);
}

/** Environment variables override the file, key by key (README, "Environment"). */
function applyEnvironment(raw: Record<string, unknown>, env: Env): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...raw };
  const section = (key: string): Record<string, unknown> => {
    const current = merged[key];
    const copy = current && typeof current === 'object' && !Array.isArray(current) ? { ...current } : {};
    merged[key] = copy;
    return copy;
  };
  const set = (key: string, field: string, value: unknown): void => {
    if (value !== undefined && value !== '') section(key)[field] = value;
  };
  set('database', 'url', env.DATABASE_URL);
  set('engine', 'kind', env.ARCHIVIST_ENGINE);
  set('engine', 'command', env.ARCHIVIST_ENGINE_COMMAND);
  set('engine', 'model', env.ARCHIVIST_MODEL);
  set('engine', 'language', env.ARCHIVIST_LANGUAGE);
  set('paths', 'work', env.ARCHIVIST_WORK_DIR);
  set('paths', 'output', env.ARCHIVIST_OUTPUT_DIR);
  const cablecastFromEnv = [
    env.CABLECAST_URL,
    env.CABLECAST_USERNAME,
    env.CABLECAST_PASSWORD,
    env.CABLECAST_VERIFY_TLS,
    env.CABLECAST_CA_FILE,
  ].some((v) => v !== undefined && v !== '');
  if (cablecastFromEnv || merged.cablecast !== undefined) {
    set('cablecast', 'url', env.CABLECAST_URL);
    set('cablecast', 'username', env.CABLECAST_USERNAME);
    if (env.CABLECAST_PASSWORD) {
      section('cablecast').password = env.CABLECAST_PASSWORD;
      delete section('cablecast').passwordFile;
    }
    set('cablecast', 'verifyTls', envBoolean(env, 'CABLECAST_VERIFY_TLS'));
    set('cablecast', 'caFile', env.CABLECAST_CA_FILE);
  }
  set('jobs', 'concurrency', envNumber(env, 'ARCHIVIST_CONCURRENCY'));
  return merged;
}

async function readConfigFile(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read config file ${file}: ${code === 'ENOENT' ? 'no such file' : String(code ?? error)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`config file ${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new UsageError(`config file ${file} must hold a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** Relative paths in a config file mean "relative to that file", as a reader would expect. */
function resolveFrom(base: string, path: string): string {
  return resolve(base, path);
}

export async function loadConfig(options: { file?: string; env?: Env } = {}): Promise<Config> {
  const env = options.env ?? process.env;
  const file = configFileFor(options.file, env);
  const raw = file ? await readConfigFile(file) : {};
  const merged = applyEnvironment(raw, env);
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    throw new UsageError(`invalid configuration${file ? ` in ${file}` : ''}`, configProblems(result.error));
  }
  const parsed = result.data;
  const base = file ? dirname(file) : process.cwd();

  const sites = parsed.sites.map((site) => ({ ...site, share: resolveFrom(base, site.share) }));
  const duplicate = sites.find((site, i) => sites.findIndex((other) => other.key === site.key) !== i);
  if (duplicate) {
    const index = sites.lastIndexOf(duplicate);
    throw new UsageError(`invalid configuration${file ? ` in ${file}` : ''}`, [`sites[${index}].key: "${duplicate.key}" is used twice`]);
  }

  const state = defaultStateDir(env);
  const paths = {
    state,
    work: parsed.paths.work
      ? resolveFrom(base, parsed.paths.work)
      : env.CACHE_DIRECTORY
        ? join(resolve(env.CACHE_DIRECTORY), 'work')
        : join(state, 'work'),
    output: parsed.paths.output ? resolveFrom(base, parsed.paths.output) : join(state, 'output'),
  };

  let cablecast: CablecastSettings | undefined;
  if (parsed.cablecast) {
    const { passwordFile, ...rest } = parsed.cablecast;
    const password =
      rest.password ??
      (await credential('cablecast-password', env)) ??
      (passwordFile ? await readSecret(resolveFrom(base, passwordFile), 'cablecast.passwordFile') : undefined);
    cablecast = {
      ...rest,
      ...(password ? { password } : {}),
      ...(rest.caFile ? { caFile: resolveFrom(base, rest.caFile) } : {}),
    };
  }

  const databaseUrl = parsed.database.url ?? (await credential('database-url', env));

  return {
    ...parsed,
    sites,
    cablecast,
    paths,
    database: { ...parsed.database, ...(databaseUrl ? { url: databaseUrl } : {}) },
    source: file,
  };
}
