/** Northern (the house default) or Southern vocabulary for the few words where the two differ. */
export type Dialect = 'north' | 'south';

export interface AbbreviationEntry {
  /** What the announcer says instead of the abbreviation. */
  full: string;
  /** How to say the short form itself, used when it follows its own full name: "… cấp tỉnh (PCI)". */
  short?: string;
}

/** Abbreviation as written (case-sensitive) → how to say it. Loaded from templates/abbreviations.tsv. */
export type AbbreviationDictionary = ReadonlyMap<string, AbbreviationEntry>;

export interface NormaliseOptions {
  /** Default 'north'. */
  dialect?: Dialect;
  /** Default: none, so every abbreviation is left as written and reported. */
  abbreviations?: AbbreviationDictionary;
}

export interface NormaliseResult {
  text: string;
  /** One sentence per thing that could not be said with confidence; the text is still readable. */
  warnings: string[];
}
