import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { Client } from 'pg';

/**
 * Every test that touches the store runs on both databases. LOA_TEST_DATABASES=sqlite narrows it on a
 * machine without PostgreSQL (CI always runs both).
 */
export const DATABASE_KINDS = (process.env.LOA_TEST_DATABASES ?? 'sqlite,postgres')
  .split(',')
  .map((s) => s.trim()) as Array<'sqlite' | 'postgres'>;

/** The server-level URL tests create their own throwaway databases on. */
const POSTGRES_ADMIN_URL = process.env.LOA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A brand-new empty database of the given kind: a SQLite file in a temp folder, or a fresh PostgreSQL database. */
export async function freshDatabase(kind: 'sqlite' | 'postgres'): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'loa-db-'));
    return { url: path.join(dir, 'loa.db'), drop: async () => fs.rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `loa_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}
