import { Command } from 'commander';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { checkModel } from '../lib/doctor/check-model.js';
import { checkCablecast, checkDatabase } from '../lib/doctor/check-services.js';
import { checkTools } from '../lib/doctor/check-tools.js';
import { ExitCode } from '../lib/errors.js';
import { resolveEngine } from '../lib/pipeline/resolve-engine.js';
import { terminalTable } from '../lib/status/table.js';
import { terminalSafe } from '../lib/text/terminal-safe.js';
import { describeDatabase } from '../lib/db/connect.js';
import { checkInstalledUnits } from '../lib/doctor/check-units.js';
import { DEFAULT_UNIT_DIR } from '../lib/systemd/install.js';
import { serviceConfig } from '../lib/systemd/service-config.js';
import { resolve } from 'node:path';

export function command(runtime: CommandRuntime): Command {
  return new Command('doctor')
    .option('--units <dir>', 'where the systemd units are installed', DEFAULT_UNIT_DIR)
    .addHelpText('after', '\nExamples:\n  $ archivist doctor\n  $ archivist --config /etc/archivist/config.json doctor --json\n')
    .action(
      action(
        runtime,
        'doctor',
        async (ctx, opts: { units: string }) => {
          const engine = resolveEngine(ctx.config.engine);
          const database = describeDatabase({ url: ctx.config.database.url, stateDir: ctx.config.paths.state });
          const [tools, model, databaseCheck, cablecast, units] = await Promise.all([
            checkTools(engine, ctx),
            checkModel(engine),
            checkDatabase(ctx.db, `${database.kind} ${database.location}`),
            checkCablecast(ctx.config.cablecast ? ctx.cablecast : null),
            serviceConfig(ctx.config.source, ctx.cwd).then((service) => checkInstalledUnits(service, resolve(ctx.cwd, opts.units))),
          ]);
          const missing = tools.filter((t) => t.required && (!t.found || t.problem));
          const down = [databaseCheck, cablecast].filter((s) => !s.ok);
          if (ctx.json)
            ctx.printJson({
              engine: { kind: engine.kind, model: engine.model, modelCheck: model },
              tools,
              services: [databaseCheck, cablecast],
              units,
            });
          else {
            const table = terminalTable(['check', 'status', 'where', 'detail'], { wordWrap: true, colWidths: [16, 10, 40, 50] });
            for (const t of tools) {
              const status = t.found && !t.problem ? 'ok' : t.required ? 'MISSING' : 'absent';
              table.push([`${t.tool}${t.required ? '' : ' (optional)'}`, status, t.path ?? t.command, t.problem ?? t.version ?? '']);
            }
            table.push(['model', model.ok ? 'ok' : 'MISSING', engine.model, model.detail]);
            for (const s of [databaseCheck, cablecast])
              table.push([s.service, s.ok ? (s.configured ? 'ok' : 'off') : 'FAILED', s.where, s.detail]);
            table.push(['units', units.ok ? (units.installed ? 'ok' : 'absent') : 'FAILED', units.where, units.detail]);
            ctx.print(terminalSafe(`engine: ${engine.kind}, model ${engine.model}`));
            ctx.print(table.toString());
          }
          return missing.length + down.length > 0 || !model.ok || !units.ok ? ExitCode.unavailable : ExitCode.ok;
        },
        { record: false },
      ),
    );
}
