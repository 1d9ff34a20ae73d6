import { Command } from 'commander';
import { action, type CommandRuntime } from '../lib/cli/run-command.js';
import { migrateToLatest } from '../lib/db/migrate.js';
import { ExitCode } from '../lib/errors.js';

export function command(runtime: CommandRuntime): Command {
  const db = new Command('db');
  db.command('migrate')
    .description('bring the database schema up to date (commands also do this on start)')
    .addHelpText('after', '\nExample:\n  $ DATABASE_URL=postgres://archivist@db/archivist archivist db migrate\n')
    .action(
      action(
        runtime,
        'db migrate',
        async (ctx) => {
          const results = await migrateToLatest(await ctx.db());
          if (ctx.json) ctx.printJson({ applied: results.map((r) => r.migrationName) });
          else ctx.print(results.length === 0 ? 'schema is up to date' : results.map((r) => `applied ${r.migrationName}`).join('\n'));
          return ExitCode.ok;
        },
        { record: false, migrate: false },
      ),
    );
  return db;
}
