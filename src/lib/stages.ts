import type { Config } from './config/schema.js';
import type { Dependency } from './errors.js';

/** Where a recording comes from: a content share, a Cablecast VOD, or a file named on the command line. */
export const MEDIA_SOURCES = ['share', 'cablecast', 'file'] as const;
export type MediaSource = (typeof MEDIA_SOURCES)[number];

/** The settings the table reads: kept narrow so the table stays a plain description. */
export type PipelineSettings = Pick<Config, 'pipeline' | 'engine' | 'cablecast'>;

/** What batch sizes depend on. */
export interface BatchSettings {
  engine: Pick<Config['engine'], 'batchSize'>;
}

interface Stage {
  kind: string;
  /** Besides the database and the files: when one of these fails, the stage waits for the next run. */
  needs: readonly Dependency[];
  /** Jobs handed to one run of the step: more than one shares a costly start-up (a Whisper model). */
  batchSize: (settings: BatchSettings) => number;
  /**
   * Claimed in this order, lowest first: later stages first, so items finish before new ones
   * start; except that every runnable probe goes before any transcription, so the files waiting
   * for the engine share one run (one model load).
   */
  claimRank: number;
  /** Part of this installation's chain (retranscode and upload are opt-in; linking needs Cablecast). */
  enabled: (settings: PipelineSettings) => boolean;
  /** Discovery registers recordings of these sources with this stage first. */
  startsFrom: readonly MediaSource[];
  /**
   * Opens the recording's video file (fetch hashes and resumes its download, the others read
   * it): cleanup keeps a VOD downloaded into paths.work while a job of such a kind waits.
   */
  readsVideo: boolean;
}

const one = (): number => 1;
const always = (): boolean => true;

/**
 * The pipeline, in chain order: a recording goes fetch (Cablecast VODs only) -> probe ->
 * transcribe -> captions -> [retranscode] -> [upload] -> [link]. Each step that succeeds queues
 * the next enabled stage in the same transaction. Uploading a rendition needs the rendition
 * first, which is why retranscode comes before upload.
 */
export const PIPELINE = [
  { kind: 'fetch', needs: ['cablecast'], batchSize: one, claimRank: 7, enabled: always, startsFrom: ['cablecast'], readsVideo: true },
  { kind: 'probe', needs: ['ffmpeg'], batchSize: one, claimRank: 5, enabled: always, startsFrom: ['share', 'file'], readsVideo: true },
  {
    kind: 'transcribe',
    needs: ['ffmpeg', 'engine'],
    batchSize: (s) => s.engine.batchSize,
    claimRank: 6,
    enabled: always,
    startsFrom: [],
    readsVideo: true,
  },
  { kind: 'captions', needs: [], batchSize: one, claimRank: 4, enabled: always, startsFrom: [], readsVideo: false },
  {
    kind: 'retranscode',
    needs: ['ffmpeg'],
    batchSize: one,
    claimRank: 3,
    enabled: (s) => s.pipeline.retranscode,
    startsFrom: [],
    readsVideo: true,
  },
  {
    kind: 'upload',
    needs: ['cablecast'],
    batchSize: one,
    claimRank: 2,
    enabled: (s) => s.pipeline.upload && s.cablecast !== undefined,
    startsFrom: [],
    readsVideo: false,
  },
  {
    kind: 'link',
    needs: ['cablecast'],
    batchSize: one,
    claimRank: 1,
    enabled: (s) => s.cablecast !== undefined,
    startsFrom: [],
    readsVideo: false,
  },
] as const satisfies readonly Stage[];

export type JobKind = (typeof PIPELINE)[number]['kind'];

export const JOB_KINDS: readonly JobKind[] = PIPELINE.map((stage) => stage.kind);

export function stageOf(kind: JobKind): Stage {
  const stage = PIPELINE.find((s) => s.kind === kind);
  if (stage === undefined) throw new RangeError(`no pipeline stage ${kind}`);
  return stage;
}

/** The stage a successful `kind` queues next with these settings (none after the last enabled stage). */
export function nextKinds(kind: JobKind, settings: PipelineSettings): JobKind[] {
  const after = PIPELINE.slice(PIPELINE.findIndex((s) => s.kind === kind) + 1);
  const next = after.find((stage) => stage.enabled(settings));
  return next === undefined ? [] : [next.kind];
}

/** Where a recording's chain starts. */
export function firstKind(source: MediaSource): JobKind {
  const stage = PIPELINE.find((s) => (s.startsFrom as readonly MediaSource[]).includes(source));
  if (stage === undefined) throw new RangeError(`no pipeline stage starts from ${source}`);
  return stage.kind;
}

/**
 * The kinds that take a recording of this source to its caption files: its chain from its
 * first stage through `captions`, the enabled ones in chain order. The stages after captions
 * publish them (renditions, uploads, links), which is why `transcribe <files>`, whose product
 * is the caption files, runs these and leaves the rest queued for the nightly run.
 */
export function kindsToCaptions(source: MediaSource, settings: PipelineSettings): JobKind[] {
  const first = firstKind(source);
  const from = PIPELINE.findIndex((s) => s.kind === first);
  const through = PIPELINE.findIndex((s) => s.kind === 'captions');
  return PIPELINE.slice(from, through + 1)
    .filter((stage) => stage.enabled(settings))
    .map((stage) => stage.kind);
}

/** The kinds whose waiting jobs still need a recording's video file (see Stage.readsVideo). */
export const VIDEO_READERS: readonly JobKind[] = PIPELINE.filter((stage) => stage.readsVideo).map((stage) => stage.kind);

/** The given kinds in the order the drain claims them. */
export function inClaimOrder(kinds: readonly JobKind[]): JobKind[] {
  return [...kinds].sort((a, b) => stageOf(a).claimRank - stageOf(b).claimRank);
}

/**
 * The kinds a run can take on: a stage that needs a dependency this installation does not
 * configure (Cablecast) is left queued and reported as skipped, instead of failing the run.
 */
export function runnableKinds(settings: PipelineSettings, kinds: readonly JobKind[] = JOB_KINDS): { run: JobKind[]; skipped: JobKind[] } {
  const configured = (dependency: Dependency): boolean => dependency !== 'cablecast' || settings.cablecast !== undefined;
  const run = kinds.filter((kind) => stageOf(kind).needs.every(configured));
  return { run: inClaimOrder(run), skipped: inClaimOrder(kinds.filter((kind) => !run.includes(kind))) };
}
