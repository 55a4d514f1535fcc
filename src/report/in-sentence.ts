/**
 * How a heading reads inside a Vietnamese sentence: only its first letter comes down ("Cải cách thủ tục hành chính" →
 * "cải cách thủ tục hành chính"), because any other capital in it is a name or an acronym ("Chỉ số PCI, PAR INDEX" →
 * "chỉ số PCI, PAR INDEX"; "Chính phủ điện tử" keeps nothing else to lower). A heading that opens with an acronym
 * ("CCHC trong …", "UBND xã") stays as it is.
 */
export function inSentence(heading: string): string {
  const first = /^\s*(\S+)/.exec(heading)?.[1] ?? '';
  const opensWithAcronym = [...first].filter((c) => c !== c.toLowerCase()).length > 1;
  if (opensWithAcronym) return heading;
  return heading.replace(/^(\s*)(\S)/u, (_, space: string, letter: string) => space + letter.toLowerCase());
}

/** The period as a sentence opens with it: "Trong quý I năm 2026, …", but "Từ ngày 01/01/2026 đến ngày …, …". */
export function duringPeriod(label: string): string {
  return /^từ ngày/i.test(label) ? `T${label.slice(1)}` : `Trong ${label}`;
}
