import { sql } from 'kysely';
import type { Db, RunOutcome } from '../db/schema.js';

export interface LastRun {
  command: string;
  started_at: Date;
  finished_at: Date | null;
  outcome: RunOutcome;
  exit_code: number | null;
  host: string;
}

/**
 * The latest run of each command given, or of every command that ever ran, in command order.
 * A station's runs table holds every run of every night (31,000 rows in five years), and
 * `distinct on (command)` read and sorted them all. Here each command's latest run is one probe
 * of runs_command_started_idx, and the commands that ever ran are found in the same index by
 * skipping from one to the next (a recursive query: PostgreSQL 15 has no skip scan).
 */
export async function lastRuns(db: Db, commands?: readonly string[]): Promise<LastRun[]> {
  if (commands?.length === 0) return [];
  const names = commands
    ? sql`select command from (values ${sql.join(commands.map((command) => sql`(${command})`))}) as given(command)`
    : sql`with recursive ran(command) as (
            (select command from runs order by command limit 1)
            union all
            select (select r.command from runs r where r.command > ran.command order by r.command limit 1) from ran where ran.command is not null
          )
          select command from ran where command is not null`;
  const result = await sql<LastRun>`
    select last.command, last.started_at, last.finished_at, last.outcome, last.exit_code, last.host
    from (${names}) as names
    cross join lateral (
      select r.command, r.started_at, r.finished_at, r.outcome, r.exit_code, r.host
      from runs r where r.command = names.command order by r.started_at desc limit 1
    ) as last
    order by last.command`.execute(db);
  return result.rows;
}
