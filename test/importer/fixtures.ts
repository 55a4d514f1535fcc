import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { StructuredPlan } from '../../src/domain/plan';

export const PLANS_DIR = join(__dirname, '..', 'fixtures', 'plans');

export interface PlanFixture {
  name: string;
  path: string;
  text: string;
  expected: { plan?: StructuredPlan; error?: { reason: string; field: string } };
}

export function planFixtures(): PlanFixture[] {
  return readdirSync(PLANS_DIR)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.txt$/, '');
      const path = join(PLANS_DIR, file);
      return {
        name,
        path,
        text: readFileSync(path, 'utf8'),
        expected: JSON.parse(readFileSync(join(PLANS_DIR, `${name}.expected.json`), 'utf8')),
      };
    });
}

export function planFixture(name: string): PlanFixture {
  const found = planFixtures().find((fixture) => fixture.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
}

/** The same document as another tool might hand it over: NFD, CRLF, stray spaces and tabs. */
export function roughened(text: string): string {
  return text
    .normalize('NFD')
    .split('\n')
    .map((line) => `  ${line.replace(/ /g, '  ')}\t `)
    .join('\r\n');
}
