import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ImportedPlan } from '../../src/importer';

export const CORPUS_DIR = join(__dirname, '..', 'fixtures', 'plans', 'corpus');

/** What a careful person reads in a published plan; see test/fixtures/plans/corpus/README.md. */
export interface CorpusExpectation {
  identity: {
    code: string | null;
    issuer: string | null;
    issueDate: string | null;
    year: number | null;
    period: { from: number; to: number } | null;
    title: string | null;
    parentPlan: string | null;
    cited: string[];
  };
  contentAreas: string[];
  channels: string[];
  activities: { title: string; timing: string | null }[];
  units: string[];
  reporting: number;
  emptyFields: string[];
  /** Fields a person reads that the importer does not read yet: checked to still differ, so fixing one shows. */
  notYetRead?: string[];
}

export interface CorpusFixture {
  name: string;
  path: string;
  text: string;
  source: { source: string; what: string };
  expected: CorpusExpectation;
}

export function corpusFixtures(): CorpusFixture[] {
  return readdirSync(CORPUS_DIR)
    .filter((file) => file.endsWith('.txt'))
    .sort()
    .map((file) => {
      const name = file.replace(/\.txt$/, '');
      const read = (suffix: string) => JSON.parse(readFileSync(join(CORPUS_DIR, `${name}${suffix}`), 'utf8'));
      return {
        name,
        path: join(CORPUS_DIR, file),
        text: readFileSync(join(CORPUS_DIR, file), 'utf8'),
        source: read('.source.json'),
        expected: read('.expected.json'),
      };
    });
}

/** An imported plan in the shape of its expectation. */
export function asRead({ plan, report }: ImportedPlan): Omit<CorpusExpectation, 'notYetRead'> {
  const { identity } = plan;
  return {
    identity: {
      code: identity.code?.text ?? null,
      issuer: identity.issuer,
      issueDate: identity.issueDate,
      year: identity.year,
      period: identity.period,
      title: identity.title,
      parentPlan: identity.parentPlan?.code.text ?? null,
      cited: identity.citedDocuments.map((document) => document.code.text),
    },
    contentAreas: [...new Set(plan.contentAreas.map((area) => area.key))],
    channels: plan.channels.map((channel) => channel.platform ?? channel.offlineForm ?? ''),
    activities: plan.activities.map((activity) => ({ title: activity.title, timing: activity.timing?.kind ?? null })),
    units: plan.units.map((unit) => unit.name),
    reporting: plan.reporting.length,
    emptyFields: report.emptyFields,
  };
}
