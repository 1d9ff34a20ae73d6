import { z } from 'zod';
import { DEFAULT_DATABASE_TIMEOUTS } from '../db/timeouts.js';
import { normalizeMediaHost } from '../fetch/credential-scope.js';
import { engineKinds } from '../transcription/engine-config.js';

/**
 * The configuration file's schema, one section per concern. Every key is optional and unknown
 * keys are errors, so a typo never goes unnoticed (README, "Configuration").
 */

/** Names and places the engine should spell right (council members, streets): they go into its prompt. */
const vocabularySchema = z.array(z.string().trim().min(1, 'expected a name or place, not an empty string'));

const siteSchema = z.strictObject({
  key: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected lower-case letters, digits, "-" or "_" (e.g. "flex1")'),
  name: z.string().min(1),
  share: z.string().min(1),
  /** Whole-word title patterns; a pattern written as /.../flags is a regular expression. */
  patterns: z.array(z.string().min(1)).default([]),
  location: z.number().int().positive().optional(),
  /** How many directory levels below the share are searched for recordings. */
  depth: z.number().int().min(0).max(16).default(2),
  /** The site's own names and places, ahead of captions.vocabulary in the engine's prompt. */
  vocabulary: vocabularySchema.optional(),
  /**
   * The share must be a mount point (or on another device than its parent): `doctor` fails
   * when it is not, instead of warning, for a share that is always a network mount.
   */
  requireMount: z.boolean().optional(),
});

/** Dead air left out of what the engine hears (recesses, slates, closed sessions). */
const skipSilenceSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    /** Quieter than this (dBFS) counts as silence. */
    thresholdDb: z
      .number()
      .min(-120, 'expected dBFS from -120 to 0 (e.g. -40)')
      .max(0, 'expected dBFS from -120 to 0 (e.g. -40)')
      .default(-40),
    /** Silence must last this long to be skipped. */
    minSeconds: z.number().positive().max(3600).default(10),
    /** Kept on each side of a skipped stretch, so no word fading into it is clipped. */
    paddingSeconds: z.number().min(0).max(60).default(1),
  })
  .refine((s) => s.minSeconds > 2 * s.paddingSeconds, {
    error: 'minSeconds must be more than twice paddingSeconds, or nothing would be left to skip',
    path: ['minSeconds'],
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
    skipSilence: skipSilenceSchema.prefault({}),
    /** Extract the next batch's audio while the engine runs on this one. */
    extractAhead: z.boolean().default(true),
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
    /** Tries after the first of a request that got no answer, a 5xx or a 429: with timeoutSeconds, what a Cablecast that stops answering costs. */
    retries: z.number().int().min(0).max(10).default(4),
    /** Where uploads go when a show's own store is unknown. */
    fileStore: z.number().int().positive().optional(),
    /**
     * Shows someone else captions (`generateCaptions`: Cablecast's own paid service; a
     * `captionProvider`): skipped by VOD discovery, or captioned by Archivist anyway.
     */
    captionServiceShows: z.enum(['skip', 'caption']).default('skip'),
    /** Hosts besides cablecast.url's that may receive the credentials with a VOD request, over HTTPS only. */
    mediaHosts: z
      .array(
        z.string().superRefine((entry, ctx) => {
          try {
            normalizeMediaHost(entry);
          } catch {
            ctx.addIssue({ code: 'custom', message: 'expected a host name with an optional :port (no scheme, path or user)' });
          }
        }),
      )
      .default([]),
  })
  .refine((c) => !(c.password && c.passwordFile), {
    error: 'give either password or passwordFile, not both',
    path: ['passwordFile'],
  });

const pathsSchema = z.strictObject({
  /**
   * The embedded database and the default outputs. Named in the config file the service reads,
   * so an operator's command (`sudo -u archivist archivist status`) opens the same database.
   */
  state: z.string().min(1).optional(),
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
  /** `drop` takes Whisper's hallucinations off the captions (README, "How captions are made"); `keep` captions all it wrote. */
  hallucinations: z.enum(['drop', 'keep']).default('drop'),
  vocabulary: vocabularySchema.default([]),
  /** Whole-word find and replace before captioning ("Council member" -> "Councilmember"). */
  substitutions: z
    .array(
      z.strictObject({
        // Every word must have a letter or digit to match: punctuation alone is no word.
        from: z.string().refine(
          (from) =>
            from.trim() !== '' &&
            from
              .trim()
              .split(/\s+/u)
              .every((word) => /[\p{L}\p{N}]/u.test(word)),
          {
            error: 'expected the words to find (each with a letter or digit)',
          },
        ),
        to: z.string().trim().min(1, 'expected the words to put in their place'),
      }),
    )
    .default([]),
  /** `mask` shows a listed swear word as its first letter and asterisks. */
  profanity: z.enum(['keep', 'mask']).default('keep'),
});

const discoverySchema = z.strictObject({
  lookbackDays: z.number().positive().default(7),
  /** A file modified this recently may still be recording or copying. */
  settleSeconds: z.number().min(0).default(300),
  /** A file's size is looked at twice, this far apart: one still being copied grows in between. */
  recheckSeconds: z.number().min(0).max(60).default(2),
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
    error: 'must be at most half of jobs.leaseSeconds',
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
      /**
       * {date} (the day the captions reached Cablecast) and {file} (the caption file's name,
       * never a path) are replaced; e.g. "Captioned {date}: {file}".
       */
      value: z.string().min(1).default('Captioned by Archivist {date}'),
    })
    .optional(),
});

const cleanupSchema = z.strictObject({
  /** Scratch files and partial downloads older than this are deleted. */
  scratchMaxAgeHours: z.number().positive().default(48),
  /** Finished jobs and runs older than this are pruned. */
  retentionDays: z.number().positive().default(90),
  /** Nightly report pages (`<state>/reports/<date>.html`) older than this are deleted. */
  reportDays: z.number().positive().default(90),
});

const databaseSchema = z.strictObject({
  url: z.string().min(1).optional(),
  /** How long a second process waits for the embedded database before giving up (exit 3). */
  embeddedLockWaitSeconds: z.number().min(0).default(60),
  /** PostgreSQL calls are bounded (db/timeouts.ts): a database that stops answering ends the run with exit 3. */
  connectTimeoutSeconds: z.number().min(1).max(600).default(DEFAULT_DATABASE_TIMEOUTS.connectTimeoutSeconds),
  statementTimeoutSeconds: z.number().min(1).max(3600).default(DEFAULT_DATABASE_TIMEOUTS.statementTimeoutSeconds),
  lockTimeoutSeconds: z.number().min(1).max(3600).default(DEFAULT_DATABASE_TIMEOUTS.lockTimeoutSeconds),
  idleInTransactionTimeoutSeconds: z.number().min(1).max(3600).default(DEFAULT_DATABASE_TIMEOUTS.idleInTransactionTimeoutSeconds),
});

export const configSchema = z.strictObject({
  sites: z.array(siteSchema).default([]),
  engine: engineSchema.prefault({}),
  cablecast: cablecastSchema.optional(),
  paths: pathsSchema.prefault({}),
  captions: captionsSchema.prefault({}),
  discovery: discoverySchema.prefault({}),
  jobs: jobsSchema.prefault({}),
  pipeline: pipelineSchema.prefault({}),
  retranscode: retranscodeSchema.prefault({}),
  upload: uploadSchema.prefault({}),
  linking: linkingSchema.prefault({}),
  cleanup: cleanupSchema.prefault({}),
  database: databaseSchema.prefault({}),
});

export type Site = z.infer<typeof siteSchema>;
export type CaptionSettings = z.infer<typeof captionsSchema>;
export type EngineSettings = z.infer<typeof engineSchema>;
export type JobSettings = z.infer<typeof jobsSchema>;
export type RetranscodeSettings = z.infer<typeof retranscodeSchema>;
export type UploadSettings = z.infer<typeof uploadSchema>;
export type LinkingSettings = z.infer<typeof linkingSchema>;
export type CleanupSettings = z.infer<typeof cleanupSchema>;

/** Cablecast settings after loading: a passwordFile has been read into `password`. */
export type CablecastSettings = Omit<z.infer<typeof cablecastSchema>, 'passwordFile'>;

export interface Config extends Omit<z.infer<typeof configSchema>, 'cablecast' | 'paths'> {
  cablecast?: CablecastSettings | undefined;
  paths: { state: string; work: string; output: string };
  /** The file the settings came from, or null when only defaults and environment apply. */
  source: string | null;
}

export type Env = Readonly<Record<string, string | undefined>>;
