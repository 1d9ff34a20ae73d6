/**
 * The process createEmbeddedDataDir runs to make the embedded database: PGlite's initdb and,
 * when asked, the migrations. Both grow PGlite's WebAssembly heap and compile code that a
 * command's process would keep until it exits (the heap never shrinks); here they end with
 * the child, so a command on a new database starts as it would on an existing one.
 */
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { errorMessage } from '../errors.js';
import { creationRequest, type CreationRequest } from './embedded-create.js';
import { migrateToLatest } from './migrate.js';
import { keepWasmAtBaselineTier } from '../process/wasm-tier.js';

async function create(request: CreationRequest): Promise<void> {
  keepWasmAtBaselineTier();
  const client = await PGlite.create({
    dataDir: request.dataDir,
    startParams: request.startParams,
    initDbStartParams: request.initDbStartParams,
  });
  try {
    if (request.migrate) {
      const db = new Kysely<unknown>({ dialect: new PGliteDialect(client) });
      try {
        await migrateToLatest(db);
      } finally {
        await db.destroy();
      }
    }
  } finally {
    if (!client.closed) await client.close();
  }
}

try {
  await create(creationRequest.parse(JSON.parse(process.argv[2] ?? '')));
} catch (error) {
  // The parent puts this line in the error it throws; a stack trace would bury the reason.
  process.stderr.write(`${errorMessage(error)}\n`);
  process.exitCode = 1;
}
