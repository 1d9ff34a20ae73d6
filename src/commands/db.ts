import { Command } from 'commander';
import { action } from '../lib/cli/action.js';
import { migrateToLatest } from '../lib/db/migrate.js';

export function dbCommand(): Command {
  const db = new Command('db').description('database administration');
  db.command('migrate')
    .description('bring the database schema up to date (commands also do this on start)')
    .addHelpText('after', '\nExample:\n  $ DATABASE_URL=postgres://archivist@db/archivist archivist db migrate\n')
    .action(
      action(
        'db migrate',
        async (ctx) => {
          const results = await migrateToLatest(await ctx.db());
          if (ctx.json) ctx.printJson({ applied: results.map((r) => r.migrationName) });
          else ctx.print(results.length === 0 ? 'schema is up to date' : results.map((r) => `applied ${r.migrationName}`).join('\n'));
        },
        { record: false, migrate: false },
      ),
    );
  return db;
}
