import Table from 'cli-table3';
import { Command } from 'commander';
import { action } from '../lib/cli/action.js';
import { checkModel } from '../lib/doctor/check-model.js';
import { checkCablecast, checkDatabase } from '../lib/doctor/check-services.js';
import { checkTools } from '../lib/doctor/check-tools.js';
import { ExitCode } from '../lib/errors.js';
import { resolveEngine } from '../lib/pipeline/resolve-engine.js';

export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check ffmpeg, ffprobe, the Whisper engines, the database and Cablecast')
    .addHelpText('after', '\nExamples:\n  $ archivist doctor\n  $ archivist --config /etc/archivist/config.json doctor --json\n')
    .action(
      action(
        'doctor',
        async (ctx) => {
          const engine = resolveEngine(ctx.config.engine);
          const [tools, model, database, cablecast] = await Promise.all([
            checkTools(engine),
            checkModel(engine),
            checkDatabase(ctx.config),
            checkCablecast(ctx.config, ctx.log),
          ]);
          const missing = tools.filter((t) => t.required && (!t.found || t.problem));
          const down = [database, cablecast].filter((s) => !s.ok);
          if (ctx.json)
            ctx.printJson({
              engine: { kind: engine.kind, model: engine.model, modelCheck: model },
              tools,
              services: [database, cablecast],
            });
          else {
            const table = new Table({
              head: ['check', 'status', 'where', 'detail'],
              style: { head: [], border: [] },
              wordWrap: true,
              colWidths: [16, 10, 40, 50],
            });
            for (const t of tools) {
              const status = t.found && !t.problem ? 'ok' : t.required ? 'MISSING' : 'absent';
              table.push([`${t.tool}${t.required ? '' : ' (optional)'}`, status, t.path ?? t.command, t.problem ?? t.version ?? '']);
            }
            table.push(['model', model.ok ? 'ok' : 'MISSING', engine.model, model.detail]);
            for (const s of [database, cablecast])
              table.push([s.service, s.ok ? (s.configured ? 'ok' : 'off') : 'FAILED', s.where, s.detail]);
            ctx.print(`engine: ${engine.kind}, model ${engine.model}`);
            ctx.print(table.toString());
          }
          return missing.length + down.length > 0 || !model.ok ? ExitCode.unavailable : ExitCode.ok;
        },
        { record: false },
      ),
    );
}
