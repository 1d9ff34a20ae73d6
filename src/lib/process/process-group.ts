import { setTimeout as sleep } from 'node:timers/promises';
import { errnoCode } from '../errors.js';
import { liveGroupMembers, processStartTime } from './proc-stat.js';

/** Sends `signal` to every process in the group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'ESRCH') return false;
    throw error;
  }
}

/** Whether the group has a member that is not a zombie (where /proc cannot tell: any member). */
export async function groupRunning(pgid: number): Promise<boolean> {
  if (!signalGroup(pgid, 0)) return false;
  return ((await liveGroupMembers(pgid)) ?? 1) > 0;
}

/**
 * SIGTERM to the whole group (Python engines fork workers that would outlive a leader-only
 * kill), then SIGKILL to whatever is still there after the grace period.
 */
export async function endGroup(pgid: number, graceMs: number): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    await sleep(50);
    if (!(await groupRunning(pgid))) return;
  }
  signalGroup(pgid, 'SIGKILL');
}

/** A process group an engine was started in: its id (the leader's pid) and the leader's start time. */
export interface RecordedGroup {
  pgid: number;
  started: string | null;
}

/**
 * Ends a group recorded on a job whose archivist died, when it is still that group. A leader
 * still there must have the recorded start time, or the pid now belongs to someone else; a
 * leader gone with members left is still ours, since a group id is not handed out again while
 * the group has members. Returns whether a group was there to end.
 */
export async function endRecordedGroup(group: RecordedGroup, graceMs: number): Promise<'ended' | 'gone' | 'not ours'> {
  const leaderStart = await processStartTime(group.pgid);
  if (leaderStart !== null && group.started !== null && leaderStart !== group.started) return 'not ours';
  if (!(await groupRunning(group.pgid))) return 'gone';
  await endGroup(group.pgid, graceMs);
  return 'ended';
}
