import type { Command } from 'commander';
import type { CommandRuntime } from '../lib/cli/run-command.js';

/** A command's module: what it defines (options, help, action) once it is asked for. */
export interface CommandModule {
  command(runtime: CommandRuntime): Command;
}

interface CommandEntry {
  /** The line `archivist --help` shows. */
  summary: string;
  load(): Promise<CommandModule>;
  /**
   * The bin keeps V8's young generation at its first size (1 MiB semi-spaces) for this command
   * instead of letting start-up's allocation grow it to 8 MiB ones: about 12 MiB less peak RSS
   * for a command that mostly waits on the network, the disk and its children. Only where
   * measured: a command whose work is computing in-process (captions) pays for it with more
   * scavenges.
   */
  smallYoungGeneration?: true;
}

/**
 * Every command, in the order `archivist --help` lists them. A command's module (and what it
 * imports: the database, Cablecast, ffmpeg code) is loaded only when that command runs or its
 * own help is asked for, so `archivist --help` loads commander and little else.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  'process-recent-vods': {
    summary: 'the nightly run: find new recordings on the shares (and Cablecast), queue them, and run every step',
    load: () => import('./process-recent-vods.js'),
    smallYoungGeneration: true,
  },
  transcribe: {
    summary: 'transcribe files (and write their captions), or drain queued transcribe jobs',
    load: () => import('./transcribe.js'),
  },
  retranscode: {
    summary: 'make captioned renditions of recordings from their captions, or drain queued retranscode jobs',
    load: () => import('./retranscode.js'),
  },
  upload: {
    summary: "upload captions (the SCC sidecar, or the captioned rendition) to Cablecast's file store, or drain queued upload jobs",
    load: () => import('./upload.js'),
  },
  'link-queue': {
    summary: 'link transcripts to their Cablecast shows and mark the shows captioned; link by hand; show link states',
    load: () => import('./link-queue.js'),
  },
  'cleanup-orphaned': {
    summary: 'orphan links to deleted shows, mark vanished recordings missing, delete old scratch files, prune old job history',
    load: () => import('./cleanup-orphaned.js'),
  },
  status: {
    summary: 'show jobs by kind and state, running jobs, recent failures, last runs, timers and link states',
    load: () => import('./status.js'),
  },
  search: {
    summary: 'find words or a quoted phrase in every transcript: the recording, the time it was said, the sentence',
    load: () => import('./search.js'),
  },
  transcript: {
    summary: "print or file a recording's transcript: a header, paragraphs at pauses, each with its [HH:MM:SS] stamp",
    load: () => import('./transcript.js'),
  },
  report: {
    summary: 'what happened since yesterday, per recording: captioned, failed and why, files written, Cablecast; text, JSON or a web page',
    load: () => import('./report.js'),
  },
  captions: {
    summary: 'make SCC, SRT and WebVTT captions from a Whisper transcript (JSON); validate an SCC file',
    load: () => import('./captions.js'),
  },
  doctor: { summary: 'check ffmpeg, ffprobe, the Whisper engines, the database and Cablecast', load: () => import('./doctor.js') },
  jobs: { summary: 'list, retry or cancel jobs by id', load: () => import('./jobs.js') },
  db: { summary: 'database administration', load: () => import('./db.js') },
  systemd: { summary: 'install the systemd units and timers', load: () => import('./systemd.js') },
};
