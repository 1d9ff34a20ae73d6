import { modelCheck } from './check-model.js';
import { checkShares, checkWorkAndOutput } from './check-paths.js';
import { cablecastCheck, databaseCheck } from './check-services.js';
import { toolsCheck } from './check-tools.js';
import type { CheckResult, DoctorCheck, DoctorContext } from './check.js';

/**
 * Everything doctor checks, in the order it prints them: what breaks a night. A new check is
 * one more entry (a DoctorCheck returning its results).
 */
export function doctorChecks(options: { databaseWhere: string }): readonly DoctorCheck[] {
  return [toolsCheck, modelCheck, databaseCheck(options.databaseWhere), cablecastCheck, checkShares, checkWorkAndOutput];
}

/** Runs every check at once; a check that throws after all is a failure named after nothing better than its error. */
export async function runChecks(checks: readonly DoctorCheck[], ctx: DoctorContext): Promise<CheckResult[]> {
  const results = await Promise.all(
    checks.map((check) =>
      check(ctx).catch((error: unknown): CheckResult[] => [
        { name: 'doctor', status: 'fail', exitCode: 3, where: '-', detail: error instanceof Error ? error.message : String(error) },
      ]),
    ),
  );
  return results.flat();
}
