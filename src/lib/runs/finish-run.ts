import { sql, type Kysely } from 'kysely';
import type { Database, RunOutcome } from '../db/schema.js';
import { ExitCode } from '../errors.js';

function outcomeFor(exitCode: number): RunOutcome {
  switch (exitCode) {
    case ExitCode.ok:
      return 'succeeded';
    case ExitCode.usage:
      return 'usage';
    case ExitCode.unavailable:
      return 'unavailable';
    case ExitCode.interrupted:
    case ExitCode.terminated:
      return 'interrupted';
    default:
      return 'failed';
  }
}

export async function finishRun(db: Kysely<Database>, runId: number, exitCode: number, summary: unknown): Promise<void> {
  await db
    .updateTable('runs')
    .set({
      finished_at: sql`now()`,
      exit_code: exitCode,
      outcome: outcomeFor(exitCode),
      summary: summary === undefined ? null : JSON.stringify(summary),
    })
    .where('id', '=', runId)
    .execute();
}
