import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The test database (turbo passes TEST_DATABASE_URL through); tests add `?schema=`, so give none. */
export const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the local PostgreSQL answers within a second. */
export async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 1000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Whether this run has PostgreSQL: its tests skip, saying so in their names, when it does not answer,
 * but under CI=true an unreachable PostgreSQL fails the file instead of skipping it.
 */
export async function postgresForTests(): Promise<boolean> {
  const up = await postgresReachable();
  if (!up && process.env.CI) throw new Error(`PostgreSQL is unreachable at ${PG_URL} (CI is set).`);
  return up;
}

/** A unique schema name for one test file or test. */
export function randomSchema(prefix = 't'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

/** Drops the given schemas (cascade). */
export async function dropSchemas(schemas: string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
  } finally {
    await client.end();
  }
}
