import { type Migration, ROLE_CHECK } from '../migration.js';

/** SQLite schema history. Never edit a shipped step; append a new one. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'cocart_carts, users, api_keys',
    // cart_value comes last so list queries read the small columns without touching overflow pages.
    sql: `
      CREATE TABLE cocart_carts (
        cart_id INTEGER PRIMARY KEY AUTOINCREMENT,
        cart_key TEXT NOT NULL UNIQUE,
        cart_created INTEGER NOT NULL,
        cart_expiry INTEGER NOT NULL,
        cart_source TEXT NOT NULL,
        cart_hash TEXT NOT NULL DEFAULT '',
        customer_name TEXT NOT NULL DEFAULT '',
        customer_email TEXT NOT NULL DEFAULT '',
        cart_value TEXT NOT NULL
      );
      CREATE INDEX cocart_carts_created ON cocart_carts (cart_created, cart_id);
      CREATE INDEX cocart_carts_expiry ON cocart_carts (cart_expiry, cart_id);
      CREATE INDEX cocart_carts_name ON cocart_carts (customer_name, cart_id);
      CREATE INDEX cocart_carts_source ON cocart_carts (cart_source, cart_id);
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        login TEXT NOT NULL UNIQUE,
        email TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL ${ROLE_CHECK},
        password_hash TEXT NOT NULL
      );
      CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE email <> '';
      CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        consumer_key_hash TEXT NOT NULL UNIQUE,
        consumer_key_ending TEXT NOT NULL,
        secret_hash TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
      );
      CREATE INDEX api_keys_user ON api_keys (user_id);
      CREATE INDEX api_keys_ending ON api_keys (consumer_key_ending);
    `,
  },
  {
    version: 2,
    name: 'cocart_carts_list covering index',
    // The full list reads its columns from this narrow index instead of the table, whose rows hold the
    // carts: a few MB of pages instead of every table page through the page cache (RSS and time).
    sql: `
      CREATE INDEX cocart_carts_list ON cocart_carts
        (cart_id, cart_key, cart_source, cart_created, cart_expiry, customer_name, customer_email);
    `,
  },
  {
    version: 3,
    name: 'change_versions: store-wide change counters',
    // One counter per concern, bumped in the writing transaction itself, so every process (and the
    // CLI) sees a change the moment it commits; the random epoch keeps a recreated file's counters
    // from repeating old values (they end up in ETags).
    sql: `
      CREATE TABLE change_versions (
        scope TEXT PRIMARY KEY,
        epoch TEXT NOT NULL,
        version INTEGER NOT NULL
      );
      INSERT INTO change_versions (scope, epoch, version)
        SELECT s.scope, e.epoch, 0
        FROM (SELECT 'sessions' AS scope UNION ALL SELECT 'accounts') AS s,
             (SELECT lower(hex(randomblob(8))) AS epoch) AS e;
      CREATE TRIGGER cocart_carts_changed_ins AFTER INSERT ON cocart_carts
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'sessions'; END;
      CREATE TRIGGER cocart_carts_changed_upd AFTER UPDATE ON cocart_carts
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'sessions'; END;
      CREATE TRIGGER cocart_carts_changed_del AFTER DELETE ON cocart_carts
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'sessions'; END;
      CREATE TRIGGER users_changed_ins AFTER INSERT ON users
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'accounts'; END;
      CREATE TRIGGER users_changed_upd AFTER UPDATE ON users
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'accounts'; END;
      CREATE TRIGGER users_changed_del AFTER DELETE ON users
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'accounts'; END;
      CREATE TRIGGER api_keys_changed_ins AFTER INSERT ON api_keys
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'accounts'; END;
      CREATE TRIGGER api_keys_changed_upd AFTER UPDATE ON api_keys
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'accounts'; END;
      CREATE TRIGGER api_keys_changed_del AFTER DELETE ON api_keys
        BEGIN UPDATE change_versions SET version = version + 1 WHERE scope = 'accounts'; END;
    `,
  },
  {
    version: 4,
    name: 'login_throttle and maintenance_leases',
    // Failed logins per client address, shared by every process on the database (window_start
    // indexed so ended windows are dropped a batch at a time), and the leases that let one process
    // at a time run the expired-session cleanup.
    sql: `
      CREATE TABLE login_throttle (
        address TEXT PRIMARY KEY,
        window_start INTEGER NOT NULL,
        attempts INTEGER NOT NULL,
        blocked_until INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX login_throttle_window ON login_throttle (window_start);
      CREATE INDEX login_throttle_blocked ON login_throttle (blocked_until);
      CREATE TABLE maintenance_leases (
        name TEXT PRIMARY KEY,
        held_until INTEGER NOT NULL
      );
    `,
  },
];
