/**
 * "Chỉ số PCI" must not be heard as "Chỉ số Chỉ số năng lực cạnh tranh…", nor "Sở STTTT" as "Sở Sở Thông tin…":
 * when an expansion opens with the very words the text has just said, those words are said once.
 */
export function withoutRepeatedLead(before: string, expansion: string): string {
  // toLowerCase, not toLocaleLowerCase('vi'): the same letters (Unicode's language-dependent lower cases are only
  // Lithuanian's, Turkish's and Azeri's; every code point compared), 4× cheaper, once per abbreviation said.
  const said = before.trimEnd().toLowerCase();
  const words = expansion.split(/\s+/u);
  for (let count = Math.min(3, words.length - 1); count >= 1; count -= 1) {
    const lead = words.slice(0, count).join(' ').toLowerCase();
    const index = said.length - lead.length;
    if (index >= 0 && said.endsWith(lead) && (index === 0 || !/[\p{L}\p{M}\p{N}]/u.test(said.charAt(index - 1)))) {
      return words.slice(count).join(' ');
    }
  }
  return expansion;
}
