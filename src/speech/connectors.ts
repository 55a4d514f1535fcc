import type { Segment } from './segments';

/** What a sign between two spoken quantities means: 2021 - 2025 → đến; 3 x 4 → nhân. */
const BETWEEN_QUANTITIES: Array<[RegExp, string]> = [
  [/^\s*[-–—]\s*$/u, ' đến '],
  [/^\s*[x×]\s*$/u, ' nhân '],
];

export function sayConnectors(segments: Segment[]): Segment[] {
  return segments.map((segment, i) => {
    const previous = segments[i - 1];
    const next = segments[i + 1];
    if (segment.spoken || !isQuantity(previous) || !isQuantity(next)) return segment;
    const match = BETWEEN_QUANTITIES.find(([pattern]) => pattern.test(segment.text));
    return match ? { spoken: true, text: match[1], kind: 'words' } : segment;
  });
}

function isQuantity(segment: Segment | undefined): boolean {
  return segment !== undefined && segment.spoken && segment.kind === 'quantity';
}
