import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { StoreInputError, StoreUnavailableError } from '../store-errors.js';
import { sqliteMigrations } from './migrations.js';

export interface SqliteStoreOptions {
  /** How long a statement waits for another connection's lock before failing (ms). */
  busyTimeoutMs?: number;
}

// Primary result codes that mean "the database is not usable right now", not "your query is wrong".
const UNAVAILABLE_CODES = new Set([5, 6, 8, 10, 11, 13, 14, 26]);
const SQLITE_CONSTRAINT = 19;

function toStoreError(e: unknown): unknown {
  if (e instanceof StoreUnavailableError || e instanceof StoreInputError) return e;
  const err = e as { code?: string; errcode?: number; message?: string };
  if (err?.code === 'ERR_SQLITE_ERROR' && typeof err.errcode === 'number') {
    const primary = err.errcode & 0xff;
    if (UNAVAILABLE_CODES.has(primary)) {
      return new StoreUnavailableError(`SQLite store unavailable: ${err.message}`, { cause: e });
    }
    if (primary === SQLITE_CONSTRAINT)
      return new StoreInputError(err.message ?? 'Constraint failed', { cause: e });
  }
  if (err?.code === 'ERR_INVALID_STATE') {
    return new StoreUnavailableError('SQLite store is closed.', { cause: e });
  }
  return e;
}

/** A node:sqlite row as an ordinary object (its rows have a null prototype; callers and tests expect plain ones). */
export function plain<T>(row: unknown): T {
  return { ...(row as object) } as T;
}

/** The files of the SQLite database at `path` (itself, `-wal`, `-shm`) that others than their owner may read. */
export function sqliteFilesReadableByOthers(path: string): Array<{ path: string; mode: number }> {
  if (path === ':memory:') return [];
  const found: Array<{ path: string; mode: number }> = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    try {
      const mode = statSync(file).mode & 0o777;
      if ((mode & 0o044) !== 0) found.push({ path: file, mode });
    } catch {
      // absent: nothing to read
    }
  }
  return found;
}

/** Writes of one transaction at most (see {@link SqliteDatabase.batchedWrite}); more go in the next. */
const MAX_BATCHED_WRITES = 64;

interface BatchedWrite {
  fn: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * One synchronous `node:sqlite` connection (WAL, cached statements), shared by the session and the
 * account store of one file.
 */
export class SqliteDatabase {
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #arrayStatements = new Map<string, StatementSync>();
  // Our own commits do not change PRAGMA data_version, so they bump this instead.
  #writeSeq = 0;
  /** Batched writes waiting for this turn of the event loop to end, in call order. */
  #batch: BatchedWrite[] = [];
  #batchScheduled = false;
  /** While a batch's transaction is open (a call made from inside one must not start another). */
  #inBatch = false;
  #failedBatches = 0;

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /** Opens (creating parent directories) and migrates the database file at `path`. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteDatabase {
    let db: DatabaseSync | undefined;
    try {
      if (path !== ':memory:') {
        // The file holds password hashes and customers' names and emails: only its owner reads it.
        // A directory created here is 0700; a new file 0600, and SQLite gives -wal and -shm its mode.
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
        closeSync(openSync(path, 'a', 0o600));
      }
      db = new DatabaseSync(path, {
        timeout: options.busyTimeoutMs ?? 2000,
        enableForeignKeyConstraints: true,
      });
      db.exec('PRAGMA journal_mode = WAL');
      // NORMAL in WAL mode: a commit survives a process crash (kill -9), only power loss can undo it.
      db.exec('PRAGMA synchronous = NORMAL');
      // Bulk upserts touch five indexes at random places; a 64 MB page cache keeps them off the disk.
      db.exec('PRAGMA cache_size = -65536');
      const database = new SqliteDatabase(db);
      database.#migrate();
      return database;
    } catch (e) {
      try {
        db?.close();
      } catch {
        // already failing; the original error matters
      }
      const mapped = toStoreError(e);
      // SQLite's own message ("unable to open database file") does not say which file.
      if (mapped instanceof StoreUnavailableError || (e as { code?: string })?.code?.startsWith('E')) {
        throw new StoreUnavailableError(`Cannot open the SQLite database ${path}: ${(e as Error).message}`, {
          cause: e,
        });
      }
      throw mapped;
    }
  }

  #migrate(): void {
    const hasTable = this.#db
      .prepare("SELECT 1 AS ok FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
      .get();
    const applied = (): Set<number> =>
      new Set(
        (this.#db.prepare('SELECT version FROM schema_migrations').all() as Array<{ version: number }>).map(
          (r) => r.version,
        ),
      );
    if (hasTable) {
      const done = applied();
      if (sqliteMigrations.every((m) => done.has(m.version))) return;
    }
    this.#db.exec('BEGIN IMMEDIATE');
    try {
      this.#db.exec(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)',
      );
      const done = applied();
      for (const m of sqliteMigrations) {
        if (done.has(m.version)) continue;
        this.#db.exec(m.sql);
        this.#db
          .prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)')
          .run(m.version, m.name, Math.floor(Date.now() / 1000));
      }
      this.#db.exec('COMMIT');
    } catch (e) {
      if (this.#db.isTransaction) this.#db.exec('ROLLBACK');
      throw e;
    }
  }

  /** A cached statement; with `arrays`, one answering arrays instead of objects. */
  stmt(sql: string, arrays = false): StatementSync {
    // One map per kind, keyed by the SQL text as given: a key built per call (`arrays:` + the SQL)
    // would be a new string to flatten and hash on every read of the cart fast path.
    const statements = arrays ? this.#arrayStatements : this.#statements;
    let s = statements.get(sql);
    if (!s) {
      s = this.#db.prepare(sql);
      if (arrays) s.setReturnArrays(true);
      statements.set(sql, s);
    }
    return s;
  }

  /**
   * `fn`'s result as a promise, its SQLite error mapped to the store's errors. Batched writes still
   * waiting are committed first, so `fn` sees every write asked for before it.
   */
  run<T>(fn: () => T): Promise<T> {
    try {
      return Promise.resolve(this.runNow(fn));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** {@link run} without the promise: `fn`'s result, or its SQLite error mapped, thrown. */
  runNow<T>(fn: () => T): T {
    try {
      if (this.#batch.length > 0 && !this.#inBatch) this.#commitBatches();
      return fn();
    } catch (e) {
      throw toStoreError(e);
    }
  }

  /** `fn` in one immediate transaction. */
  write<T>(fn: () => T): T {
    this.stmt('BEGIN IMMEDIATE').run();
    try {
      const result = fn();
      this.stmt('COMMIT').run();
      return result;
    } catch (e) {
      if (this.#db.isTransaction) this.stmt('ROLLBACK').run();
      throw e;
    } finally {
      this.#writeSeq++;
    }
  }

  /**
   * `fn` in an immediate transaction shared with the other batched writes asked for in this turn of
   * the event loop: one commit for all of them. A commit is most of a small write's cost (each page it
   * touched goes to the WAL, and a batch of cart writes shares the hot pages: the change counter, the
   * ends of the indexes), and the concurrent writes of a busy server arrive together. Each `fn` runs
   * in its own savepoint, in call order, seeing the writes before it: its throw undoes only its own
   * statements and rejects only its own promise. The promise settles once the batch has committed.
   */
  batchedWrite<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#batch.push({ fn, resolve: resolve as (value: unknown) => void, reject });
      if (this.#batchScheduled) return;
      this.#batchScheduled = true;
      setImmediate(() => {
        this.#batchScheduled = false;
        this.#commitBatches();
      });
    });
  }

  /** Commits the batched writes waiting, {@link MAX_BATCHED_WRITES} to a transaction. */
  #commitBatches(): void {
    if (this.#inBatch) return;
    this.#inBatch = true;
    try {
      while (this.#batch.length > 0) this.#commitBatch(this.#batch.splice(0, MAX_BATCHED_WRITES));
    } finally {
      this.#inBatch = false;
    }
  }

  #commitBatch(writes: BatchedWrite[]): void {
    const settled: Array<() => void> = [];
    try {
      this.stmt('BEGIN IMMEDIATE').run();
      for (const w of writes) {
        this.stmt('SAVEPOINT batched_write').run();
        try {
          const value = w.fn();
          this.stmt('RELEASE batched_write').run();
          settled.push(() => w.resolve(value));
        } catch (e) {
          // An error that ended the whole transaction (a full disk, an I/O error) fails the batch.
          if (!this.#db.isTransaction) throw e;
          this.stmt('ROLLBACK TO batched_write').run();
          this.stmt('RELEASE batched_write').run();
          settled.push(() => w.reject(toStoreError(e)));
        }
      }
      this.stmt('COMMIT').run();
    } catch (e) {
      this.#failedBatches++;
      this.#rollBack();
      const error = toStoreError(e);
      for (const w of writes) w.reject(error);
      return;
    } finally {
      this.#writeSeq++;
    }
    for (const settle of settled) settle();
  }

  /** Ends the open transaction, if any, without a throw of its own (the batch's error is the one to report). */
  #rollBack(): void {
    try {
      if (this.#db.isOpen && this.#db.isTransaction) this.#db.exec('ROLLBACK');
    } catch {
      // the connection is gone: nothing was committed
    }
  }

  /** Records a write made outside {@link write} (an autocommit statement). */
  wrote(): void {
    this.#writeSeq++;
  }

  /**
   * Batches whose transaction did not commit, so far: the writes of such a batch that had already run
   * were undone with it, though their own calls gave no error.
   */
  get failedBatches(): number {
    return this.#failedBatches;
  }

  /** SQLite's `data_version`: changes whenever another connection commits, never for this one's commits. */
  dataVersion(): number {
    return (this.stmt('PRAGMA data_version').get() as { data_version: number }).data_version;
  }

  /** Changes whenever this or another connection commits: the validity stamp of cached counts. */
  stamp(): string {
    return `${this.dataVersion()}:${this.#writeSeq}`;
  }

  ping(): Promise<void> {
    return this.run(() => {
      // Touch the file, not just the connection: a deleted or corrupted database must fail readiness.
      this.stmt('SELECT version FROM schema_migrations LIMIT 1').get();
    });
  }

  close(): Promise<void> {
    return this.run(() => {
      if (!this.#db.isOpen) return;
      this.#statements.clear();
      this.#arrayStatements.clear();
      this.#db.close();
    });
  }
}
