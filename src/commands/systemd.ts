import { resolve } from 'node:path';
import { Command } from 'commander';
import { ExitCode } from '../lib/errors.js';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { DEFAULT_UNIT_DIR, applyInstall, checkExecutable, formatDryRun, planInstall, systemctlCommands } from '../lib/systemd/install.js';
import { renderUnits } from '../lib/systemd/render-units.js';
import { installWarnings, serviceConfig, servicePaths } from '../lib/systemd/service-config.js';
import { parsePositiveInt } from '../lib/cli/parse.js';
import { DEFAULT_UNIT_OPTIONS, resolveUnitOptions } from '../lib/systemd/unit-options.js';

interface InstallOptions {
  prefix: string;
  bin?: string;
  user?: string;
  group?: string;
  rwPath: string[];
  spread?: number;
  dryRun?: boolean;
  force?: boolean;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function installCommand(runtime: CommandRuntime): Command {
  return new Command('install')
    .description('write the service and timer units for this installation and print the systemctl commands to enable them')
    .option('--prefix <dir>', 'directory the units are written to', DEFAULT_UNIT_DIR)
    .option('--bin <path>', `absolute path of the archivist executable (default: ${DEFAULT_UNIT_OPTIONS.bin})`)
    .option('--user <name>', `user the services run as (default: ${DEFAULT_UNIT_OPTIONS.user})`)
    .option('--group <name>', 'group the services run as (default: the user)')
    .option(
      '--rw-path <path>',
      'another writable path besides the shares, work, output and state paths of the config (repeatable; "-/path" skips it when missing)',
      collect,
      [],
    )
    .option(
      '--spread <minutes>',
      'start each timer up to this many minutes late, by a delay fixed per host (many hosts on one database)',
      parsePositiveInt,
    )
    .option('--dry-run', 'print the files instead of writing them')
    .option('--force', 'replace unit files that archivist did not write')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ archivist systemd install --dry-run',
        '  $ sudo archivist systemd install --bin "$(command -v archivist)"',
        '  $ sudo archivist systemd install --bin "$(command -v archivist)" --spread 10 --rw-path /srv/captions',
        '',
        'Nothing is started: the systemctl commands to run are printed. Step by step: "Running under systemd" in README.md.',
      ].join('\n'),
    )
    .action(
      action(
        runtime,
        'systemd install',
        async (ctx, opts: InstallOptions) => {
          const service = await serviceConfig(ctx.config.source, ctx.cwd);
          const options = resolveUnitOptions({
            bin: opts.bin,
            user: opts.user,
            group: opts.group,
            rwPaths: opts.rwPath,
            paths: servicePaths(service),
            spreadMinutes: opts.spread,
            configFile: service.source ?? undefined,
          });
          const prefix = resolve(ctx.cwd, opts.prefix);
          const files = renderUnits(options);
          const commands = systemctlCommands(files, prefix);
          const warnings = installWarnings(service, ctx.config.paths.state);
          for (const warning of warnings) ctx.warn(warning);
          if (opts.dryRun) {
            if (ctx.json) ctx.printJson({ dryRun: true, prefix, files, commands, warnings });
            else ctx.print(formatDryRun(files, prefix));
            return ExitCode.ok;
          }
          await checkExecutable(options.bin);
          const plan = await planInstall(files, prefix, opts.force === true);
          await applyInstall(plan);
          ctx.log.info({ files: plan.map((p) => ({ path: p.path, action: p.action })) }, 'unit files installed');
          if (ctx.json) {
            ctx.printJson({ dryRun: false, files: plan.map((p) => ({ path: p.path, action: p.action })), commands, warnings });
            return ExitCode.ok;
          }
          for (const { path, action: done } of plan) ctx.print(`${done.padEnd(9)} ${path}`);
          ctx.print(['', 'Now run:', ...commands.map((c) => `  ${c}`)].join('\n'));
          return ExitCode.ok;
        },
        { record: false },
      ),
    );
}

export function command(runtime: CommandRuntime): Command {
  return new Command('systemd')
    .addCommand(installCommand(runtime))
    .addHelpText('after', '\nExamples:\n  $ archivist systemd install --dry-run\n');
}
