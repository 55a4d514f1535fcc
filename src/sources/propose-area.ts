import type { ContentAreaKey } from '../domain/plan';
import { areaHits } from '../importer/parse-areas';

/**
 * Proposes a content area for news from a feed by the words it contains, with the same keyword table the plan
 * importer uses. The headline is read first (it names the subject), then the summary; among the areas named, one
 * the plan itself lists wins. An officer confirms or changes the proposal.
 */
export function proposeArea(entry: { title: string; summary: string }, planAreas: readonly string[]): ContentAreaKey {
  for (const text of [entry.title, entry.summary]) {
    const hits = areaHits(text);
    const inPlan = hits.find((key) => planAreas.includes(key));
    if (inPlan ?? hits[0]) return (inPlan ?? hits[0])!;
  }
  return 'khac';
}
