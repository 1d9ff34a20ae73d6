import { Socket } from 'node:net';
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import pg from 'pg';
import { UnavailableError } from '../errors.js';
import { ANSWER_GRACE_MS, LAST_TRY_MS, type DatabaseTimeouts } from './timeouts.js';
import { asDatabaseError, databaseFailure } from './unavailable.js';

export interface BoundedPoolOptions {
  connectionString: string;
  timeouts: DatabaseTimeouts;
  types: pg.CustomTypesConfig;
  /** The command's stop signal: once it fires, every call still waiting gets one last short try. */
  signal?: AbortSignal | undefined;
  max?: number;
}

/**
 * A node-postgres pool in which no call can wait for ever. The server cancels slow statements
 * and lock waits itself (statement_timeout, lock_timeout) and ends sessions left idle in a
 * transaction; TCP keepalive notices a peer that vanished. None of that helps when the network
 * freezes or the server stops answering altogether, so every connect and query here also has a
 * deadline of its own, past which the connection is thrown away (its socket destroyed) and the
 * call fails as an UnavailableError('database'). After one such failure, or once the command is
 * stopping, each further call gets LAST_TRY_MS: handing jobs back and recording the run are
 * tried once each, quickly, and the command ends.
 */
export class BoundedPool implements PostgresPool {
  readonly #pool: pg.Pool;
  readonly #timeouts: DatabaseTimeouts;
  readonly #signal: AbortSignal | undefined;
  readonly #sockets = new Set<Socket>();
  readonly #clients = new WeakMap<pg.PoolClient, BoundedClient>();
  #failing = false;

  constructor(options: BoundedPoolOptions) {
    const t = options.timeouts;
    this.#timeouts = t;
    this.#signal = options.signal;
    this.#pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.max ?? 10,
      types: options.types,
      connectionTimeoutMillis: t.connectTimeoutSeconds * 1000,
      statement_timeout: t.statementTimeoutSeconds * 1000,
      lock_timeout: t.lockTimeoutSeconds * 1000,
      idle_in_transaction_session_timeout: t.idleInTransactionTimeoutSeconds * 1000,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      // Our own sockets, so that closing can destroy one whose peer no longer answers.
      stream: () => this.#track(new Socket()),
    });
    // An idle client's error (server restart) must not crash the process; the next query reports it.
    this.#pool.on('error', () => undefined);
  }

  async connect(): Promise<PostgresPoolClient> {
    const connecting = this.#pool.connect();
    const giveBack = (): void => {
      connecting.then(
        (client) => {
          client.release(new Error('connection arrived after it was given up'));
        },
        () => undefined,
      );
    };
    try {
      const client = await this.bounded(
        connecting,
        this.#timeouts.connectTimeoutSeconds * 1000 + ANSWER_GRACE_MS,
        'opening a connection',
        giveBack,
      );
      this.answered();
      let bounded = this.#clients.get(client);
      if (bounded === undefined) {
        bounded = new BoundedClient(client, this);
        this.#clients.set(client, bounded);
      }
      return bounded;
    } catch (error) {
      throw this.failed(error);
    }
  }

  /** Opens one connection and gives it back: the database is there and lets us in. */
  async check(): Promise<void> {
    (await this.connect()).release();
  }

  /** Ends every connection; one whose peer does not answer the goodbye is destroyed. Never throws. */
  async end(): Promise<void> {
    // A connection that has stopped answering will not answer the goodbye either, and a
    // stopping command has no time to find out.
    if (this.#lastTry()) for (const socket of this.#sockets) socket.destroy();
    const ending = this.#pool.end();
    ending.catch(() => undefined);
    const gaveUp = await this.bounded(ending, LAST_TRY_MS, 'closing', () => undefined).then(
      () => false,
      () => true,
    );
    if (!gaveUp) return;
    for (const socket of this.#sockets) socket.destroy();
    await this.bounded(ending, LAST_TRY_MS, 'closing', () => undefined).catch(() => undefined);
  }

  /** How long a query may wait for its answer now. */
  queryDeadlineMs(): number {
    const statementMs = this.#timeouts.statementTimeoutSeconds * 1000;
    return statementMs + Math.min(ANSWER_GRACE_MS, statementMs);
  }

  /** The database answered: later calls get their full time again. */
  answered(): void {
    this.#failing = false;
  }

  /** The error to throw for a failed call; a database that is unavailable shortens what follows. */
  failed(error: unknown): Error {
    if (databaseFailure(error) !== undefined) this.#failing = true;
    const mapped = asDatabaseError(error);
    return mapped instanceof Error ? mapped : new Error(String(mapped));
  }

  /**
   * `work`, or an UnavailableError when it has not settled within `ms` (LAST_TRY_MS once the
   * database failed or the command is stopping, including a stop that comes while waiting).
   * `onLate` is told when the wait is given up, so the late result can be disposed of.
   */
  bounded<T>(work: Promise<T>, ms: number, what: string, onLate: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const started = Date.now();
      let limit = this.#lastTry() ? Math.min(ms, LAST_TRY_MS) : ms;
      const expire = (): void => {
        cleanup();
        onLate();
        // Cut short by the stop, the call fails with the stop's reason: the signal decides the exit code.
        const stop: unknown = this.#signal?.aborted === true ? this.#signal.reason : undefined;
        if (stop !== undefined) reject(stop instanceof Error ? stop : new Error('the command is stopping'));
        else reject(new UnavailableError(`the database did not answer within ${formatSeconds(limit)} (${what})`, 'database'));
      };
      let timer = setTimeout(expire, limit);
      const onStop = (): void => {
        if (started + limit - Date.now() <= LAST_TRY_MS) return;
        clearTimeout(timer);
        limit = Date.now() - started + LAST_TRY_MS;
        timer = setTimeout(expire, LAST_TRY_MS);
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#signal?.removeEventListener('abort', onStop);
      };
      this.#signal?.addEventListener('abort', onStop, { once: true });
      work.then(
        (value) => {
          cleanup();
          resolve(value);
        },
        (error: unknown) => {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });
  }

  #lastTry(): boolean {
    return this.#failing || this.#signal?.aborted === true;
  }

  #track(socket: Socket): Socket {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    return socket;
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * One pooled connection as Kysely sees it. Once a call on it has timed out or found it gone,
 * it is broken: further calls fail at once, and giving it back removes it from the pool (pg
 * destroys the socket of a client with a query still outstanding).
 */
class BoundedClient implements PostgresPoolClient {
  #broken: Error | undefined;
  readonly #client: pg.PoolClient;
  readonly #pool: BoundedPool;

  constructor(client: pg.PoolClient, pool: BoundedPool) {
    this.#client = client;
    this.#pool = pool;
  }

  query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
  query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
  query<R>(
    sqlOrCursor: string | PostgresCursor<R>,
    parameters: readonly unknown[] = [],
  ): Promise<PostgresQueryResult<R>> | PostgresCursor<R> {
    // The dialect is built without a cursor class, so Kysely never streams.
    if (typeof sqlOrCursor !== 'string') throw new Error('streaming queries are not supported');
    return this.#run<R>(sqlOrCursor, parameters);
  }

  release(destroy?: boolean): void {
    if (this.#broken !== undefined) this.#client.release(this.#broken);
    else this.#client.release(destroy === true);
  }

  async #run<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
    if (this.#broken !== undefined) throw this.#broken;
    const running = this.#client.query(sql, [...parameters]);
    // Given up on, it still settles when its socket is destroyed: that is no unhandled rejection.
    running.catch(() => undefined);
    try {
      const result = await this.#pool.bounded(running, this.#pool.queryDeadlineMs(), 'a query', () => {
        this.#broken = new UnavailableError('a query on this connection was given up', 'database');
      });
      this.#pool.answered();
      return { command: result.command as PostgresQueryResult<R>['command'], rowCount: result.rowCount ?? 0, rows: result.rows as R[] };
    } catch (error) {
      const mapped = this.#pool.failed(error);
      if (databaseFailure(error) === 'connection') this.#broken ??= mapped;
      throw mapped;
    }
  }
}
