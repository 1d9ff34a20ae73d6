/**
 * How long PostgreSQL calls may take (config `database`). A database that stops answering
 * (a frozen network, a wedged server) must end the run with exit 3 instead of holding it, and
 * its claimed jobs, for hours. The embedded database runs inside this process: none apply.
 */
export interface DatabaseTimeouts {
  /** Opening a connection (TCP, TLS and login). */
  connectTimeoutSeconds: number;
  /** The server cancels a statement running longer (statement_timeout); the client waits a little longer for any answer. */
  statementTimeoutSeconds: number;
  /** The server gives up waiting for a row or table lock (lock_timeout). */
  lockTimeoutSeconds: number;
  /** The server ends a session left idle inside a transaction (idle_in_transaction_session_timeout). */
  idleInTransactionTimeoutSeconds: number;
}

export const DEFAULT_DATABASE_TIMEOUTS: DatabaseTimeouts = {
  connectTimeoutSeconds: 10,
  statementTimeoutSeconds: 30,
  lockTimeoutSeconds: 10,
  idleInTransactionTimeoutSeconds: 60,
};

/**
 * How long past the server's statement timeout (at most as long again) a query waits for an
 * answer before the connection is taken for dead: the server's own cancellation comes first.
 */
export const ANSWER_GRACE_MS = 5_000;

/**
 * Once the database has failed to answer, or the command is stopping, each further call
 * (handing jobs back, recording the run, closing) gets this long: one last try each.
 */
export const LAST_TRY_MS = 2_000;
