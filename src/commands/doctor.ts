import { Command } from 'commander';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { describeDatabase } from '../lib/db/connect.js';
import { doctorChecks, runChecks } from '../lib/doctor/checks.js';
import { ExitCode, mostSerious } from '../lib/errors.js';
import { resolveEngine } from '../lib/pipeline/resolve-engine.js';
import { fitTable } from '../lib/status/fit-table.js';
import { terminalSafe } from '../lib/text/terminal-safe.js';
import { checkInstalledUnits, type UnitsCheck } from '../lib/doctor/check-units.js';
import { DEFAULT_UNIT_DIR } from '../lib/systemd/install.js';
import { serviceConfig } from '../lib/systemd/service-config.js';
import { resolve } from 'node:path';
import type { DoctorCablecast, DoctorCheck } from '../lib/doctor/check.js';
import { createCablecastClient } from '../lib/cablecast/client.js';
import { clientOptionsFromSettings } from '../lib/cablecast/from-config.js';
import type { CommandContext } from '../lib/cli/run-command.js';

const SHOWN = { ok: 'ok', warn: 'WARN', fail: 'FAIL', unknown: 'unknown' } as const;
/** One retry at most: doctor should answer within a minute even when Cablecast does not. */
const CABLECAST_RETRIES = 1;

/**
 * The run's client, and for telling whether the credentials count, one without them: Cablecast
 * usually answers reads to anyone (../shared/reference/cablecast-api.md).
 */
function doctorCablecast(ctx: CommandContext): DoctorCablecast | null {
  const settings = ctx.config.cablecast;
  if (settings === undefined) return null;
  const anonymous = { ...clientOptionsFromSettings(settings, ctx.signal, CABLECAST_RETRIES), username: undefined, password: undefined };
  return { client: ctx.cablecast, anonymous: () => createCablecastClient(anonymous, ctx.log) };
}

export function command(runtime: CommandRuntime): Command {
  return new Command('doctor')
    .option('--units <dir>', 'where the systemd units are installed', DEFAULT_UNIT_DIR)
    .addHelpText(
      'after',
      '\nChecks ffmpeg, ffprobe, the engine (run with -h), the model, the database, Cablecast and its credentials,\n' +
        'each share (present, readable, mounted) and that paths.work and paths.output are writable.\n' +
        'Exits 2 or 3 naming each failed check; warnings and "unknown" do not fail.\n' +
        '\nExamples:\n  $ archivist doctor\n  $ archivist --config /etc/archivist/config.json doctor --json\n',
    )
    .action(
      action(
        runtime,
        'doctor',
        async (ctx, opts: { units: string }) => {
          const engine = resolveEngine(ctx.config.engine);
          const database = describeDatabase({ url: ctx.config.database.url, stateDir: ctx.config.paths.state });
          // Whether the installed units can write where the config points (issue 13's systemd part).
          let unitsReport: UnitsCheck | undefined;
          const units: DoctorCheck = async () => {
            const check = await checkInstalledUnits(await serviceConfig(ctx.config.source, ctx.cwd), resolve(ctx.cwd, opts.units));
            unitsReport = check;
            return [{ name: 'units', status: check.ok ? 'ok' : 'fail', exitCode: 2, where: check.where, detail: check.detail }];
          };
          const checks = [...doctorChecks({ databaseWhere: `${database.kind} ${database.location}` }), units];
          const results = await runChecks(checks, {
            config: ctx.config,
            engine,
            env: ctx.env,
            cwd: ctx.cwd,
            db: ctx.db,
            cablecast: doctorCablecast(ctx),
          });
          const failed = results.filter((r) => r.status === 'fail');
          if (ctx.json) ctx.printJson({ engine: { kind: engine.kind, model: engine.model }, checks: results, units: unitsReport });
          else {
            const table = fitTable(
              [{ head: 'check' }, { head: 'status' }, { head: 'where', keep: 'end' }, { head: 'detail' }],
              results.map((r) => [r.name, SHOWN[r.status], r.where, r.detail]),
              { width: ctx.terminal.width },
            );
            ctx.print(terminalSafe(`engine: ${engine.kind}, model ${engine.model}`));
            ctx.print(table);
          }
          if (failed.length === 0) return ExitCode.ok;
          ctx.warn(`${failed.length} check${failed.length === 1 ? '' : 's'} failed: ${failed.map((r) => r.name).join(', ')}`);
          for (const r of failed) ctx.warn(`  ${r.name} (${r.where}): ${r.detail}`);
          return mostSerious(failed.map((r) => r.exitCode ?? ExitCode.unavailable));
        },
        { record: false, cablecastRetries: CABLECAST_RETRIES },
      ),
    );
}
