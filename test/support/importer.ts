import { PLATFORMS } from '../../channels';
import type { StructuredPlan } from '../../src/domain/plan';
import * as importer from '../../src/importer';

export * from '../../src/importer';

/** The importer as Loa's callers use it: with the installation's platforms (the registry in channels/). */
export const parsePlanText = (text: string) => importer.parsePlanText(text, PLATFORMS);
export const importPlanText = (text: string) => importer.importPlanText(text, PLATFORMS);
export const importPlanFile = (path: string) => importer.importPlanFile(path, PLATFORMS);
export const importPlanBuffer = (input: importer.NamedBuffer) => importer.importPlanBuffer(input, PLATFORMS);
export const diffPlans = (before: StructuredPlan, after: StructuredPlan) =>
  importer.diffPlans(before, after, PLATFORMS);
