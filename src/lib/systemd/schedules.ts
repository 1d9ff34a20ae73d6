/**
 * The commands systemd starts on a schedule, one service + timer pair each. `status` maps a
 * timer to the last `runs` row of its command through this list, and the unit renderer
 * builds every unit from it, so a schedule is written down exactly once.
 */
export interface ScheduledCommand {
  /** The archivist subcommand the service runs (and the `command` column of `runs`). */
  command: 'process-recent-vods' | 'link-queue' | 'cleanup-orphaned';
  service: string;
  timer: string;
  description: string;
  onCalendar: string;
  /** Why the schedule is what it is; written above OnCalendar= in the timer. */
  scheduleReason: string;
  /** A run still going after this is stopped with SIGTERM; its jobs go back to the queue. */
  timeoutStartSec: string;
  timeoutReason: string;
  /**
   * Time between SIGTERM and SIGKILL: stopping children and handing back claimed jobs. Longer
   * than the 60 s the command gives itself, so SIGKILL only meets a process that hangs.
   */
  timeoutStopSec: string;
  /** Writes beside the recordings on the shares (sidecars, renditions, stale temp files). */
  writesShares: boolean;
  /** Hours of ffmpeg and Whisper: runs at low CPU and I/O priority and may load engine models. */
  heavy: boolean;
}

function scheduled(
  command: ScheduledCommand['command'],
  rest: Omit<ScheduledCommand, 'command' | 'service' | 'timer'>,
): ScheduledCommand {
  const unit = `archivist-${command}`;
  return { command, service: `${unit}.service`, timer: `${unit}.timer`, ...rest };
}

export const SCHEDULED_COMMANDS: readonly ScheduledCommand[] = [
  scheduled('process-recent-vods', {
    description: 'Archivist: find new recordings, transcribe them and write captions',
    onCalendar: '*-*-* 19:00:00',
    scheduleReason: 'Host local time on purpose: the evening meetings are recorded by then (the old VOD_PROCESSING_TIME=19:00).',
    timeoutStartSec: '12h',
    timeoutReason:
      'Stops by 07:00 so the day starts with the CPU, disks and shares free; an unfinished backlog is handed back and resumes the next night.',
    timeoutStopSec: '2min',
    writesShares: true,
    heavy: true,
  }),
  scheduled('link-queue', {
    description: 'Archivist: link finished transcripts to Cablecast shows',
    onCalendar: '*-*-* 00/2:15:00 UTC',
    scheduleReason: 'Every 2 hours at :15 UTC, as the old linking queue ran.',
    timeoutStartSec: '1h',
    timeoutReason: 'Half the period: a slow Cablecast cannot make one run swallow the next.',
    timeoutStopSec: '90s',
    writesShares: false,
    heavy: false,
  }),
  scheduled('cleanup-orphaned', {
    description: 'Archivist: clean up orphaned links and leftover files',
    onCalendar: '*-*-* 03:45:00 UTC',
    scheduleReason: 'Daily at 03:45 UTC, as the old cleanup ran, away from the 19:00 run and the :15 link runs.',
    timeoutStartSec: '30min',
    timeoutReason: 'Cleanup takes minutes; anything longer is stuck.',
    timeoutStopSec: '90s',
    writesShares: true,
    heavy: false,
  }),
];
