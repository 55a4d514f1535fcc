import type { Kysely } from 'kysely';

import type { Role } from '../../src/domain/access';
import { saveChannel } from '../../src/store/channels';
import { createToken } from '../../src/store/credentials';
import type { Database } from '../../src/store/schema';
import { ensureUnit } from '../../src/store/units';
import { createUser } from '../../src/store/users';

/** The default test unit (LOA_UNIT of testConfig) and a second one, each with its own rss channel. */
export const HOME = 'ubnd-xa-tan-lap';
export const OTHER = 'ubnd-xa-khac';
export const PASSWORD = 'mật-khẩu-đủ-dài-1';

export const PEOPLE = {
  officer: { name: 'Cán bộ An', unit: HOME, role: 'officer' },
  supervisor: { name: 'Lãnh đạo Bình', unit: HOME, role: 'supervisor' },
  admin: { name: 'Quản trị Chi', unit: null, role: 'admin' },
  otherOfficer: { name: 'Cán bộ Dũng', unit: OTHER, role: 'officer' },
  otherSupervisor: { name: 'Lãnh đạo Em', unit: OTHER, role: 'supervisor' },
} as const satisfies Record<string, { name: string; unit: string | null; role: Role }>;

export type Person = keyof typeof PEOPLE;

export interface Accounts {
  token: Record<Person, string>;
  userId: Record<Person, number>;
}

/** Adds the second unit and its channel, one account per person, and an API token for each. */
export async function seedAccounts(db: Kysely<Database>): Promise<Accounts> {
  await ensureUnit(db, 'UBND xã Khác', 'kiểm thử', OTHER);
  await saveChannel(
    db,
    { id: 'rss-khac', unitId: OTHER, platform: 'rss', name: 'Cổng xã Khác', settings: {} },
    'kiểm thử',
  );
  const token = {} as Record<Person, string>;
  const userId = {} as Record<Person, number>;
  for (const [key, person] of Object.entries(PEOPLE) as Array<[Person, (typeof PEOPLE)[Person]]>) {
    const user = await createUser(
      db,
      { name: person.name, unitId: person.unit, role: person.role, password: PASSWORD },
      'kiểm thử',
    );
    userId[key] = user.id;
    token[key] = (await createToken(db, user.id, 'kiểm thử')).token;
  }
  return { token, userId };
}

/** A JSON request over real HTTP with a Bearer token (or none). */
export async function call(
  base: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the JSON of any route; each test reads the fields it checks
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
