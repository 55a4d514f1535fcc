/**
 * The body that issues a plan, by name only ("UBND phường Đoàn Kết", "Sở Lao động - Thương binh và Xã hội",
 * "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA"), never the words of the clause after it.
 */

const MOTTO = /CỘNG\s+H(?:ÒA|OÀ)[\s\S]*$/u;
const HEADER_SEPARATORS = /\s*(?:\||-{3,}|_{3,})\s*/gu;
/** Words that open a body's name in running text. */
const BODY_HEAD = String.raw`(?:Chủ tịch\s+(?:UBND|Ủy ban nhân dân)|UBND|Ủy ban nhân dân|ỦY BAN NHÂN DÂN|Sở|Bộ|Ban|Phòng|Văn phòng|Trung tâm|Đài|Hội đồng)`;
/** "<body> (đã|vừa) ban hành/xây dựng Kế hoạch": the body's name ends where its verb starts. */
const ISSUING = new RegExp(
  String.raw`(?:^|[,.;:]\s*|\n)(?:ngày\s*\d{1,2}\s*/\s*\d{1,2}(?:\s*/\s*\d{4})?\s*,\s*)?(${BODY_HEAD}(?:\s+(?!đã\s|vừa\s|ban hành\s|xây dựng\s)[^\s,.;:()]+){0,12}?)\s+(?:đã\s+|vừa\s+)?(?:ban hành|xây dựng)\s+(?:Kế|kế)\s*hoạch`,
  'imu',
);
const AS_ABBREVIATED = new RegExp(
  String.raw`(?:^|\n)(${BODY_HEAD}[^,.;:()\n]*?)\s*\(sau đây (?:viết tắt|gọi tắt|gọi) là`,
  'mu',
);
/** "…, Ban Chỉ đạo chuyển đổi số huyện Đăk R’lấp (sau đây gọi tắt là Ban Chỉ đạo) ban hành Kế hoạch …": a body named
 * with its short form, mid-sentence, as the subject of the issuing verb. */
const ABBREVIATED_ISSUING = new RegExp(
  String.raw`(?:^|[,.;:]\s*|\n)(${BODY_HEAD}[^,.;:()\n]*?)\s*\(sau đây (?:viết tắt|gọi tắt|gọi) là[^)]*\)\s*(?:đã\s+|vừa\s+)?(?:ban hành|xây dựng)\s+(?:Kế|kế)\s*hoạch`,
  'mu',
);
/** "Phó Thủ tướng Lê Thành Long ký Quyết định số 157/QĐ-TTg ban hành Kế hoạch …": the office signs for its body. */
/** "Sở Văn hóa, Thể thao và Du lịch đã ban hành Kế hoạch …": a department's name holds commas of its own. */
const NAME_WITH_COMMAS =
  /(?:^|[,.;:]\s*|\n)((?:Sở|Bộ)\s+\p{Lu}[^.;:\n()]{0,60}?)\s+(?:đã|vừa)\s+ban hành\s+(?:Kế|kế)\s*hoạch/u;
/** "Bộ trưởng Bộ Nội vụ ban hành Quyết định 35/QĐ-BNV …", "Phó Chủ tịch UBND Thành phố Nguyễn Xuân Lưu vừa ký ban hành
 * Kế hoạch số 378/KH-UBND …": with or without the signer's name, the verb "ký" or "ban hành". */
const SIGNER =
  /(?:Phó\s+)?(Thủ tướng|Bộ trưởng\s+Bộ\s+[^,.;]+?|Chủ tịch\s+(?:UBND|Ủy ban nhân dân)\s+[^,.;]+?)\s+(?:\p{Lu}\p{Ll}*\s+){0,4}(?:đã\s+|vừa\s+)?(?:ký(?:\s+ban hành)?|ban hành)\s+(?:Quyết định|Kế hoạch)/u;
/** The office above a decision's preamble: "BỘ TRƯỞNG BỘ NỘI VỤ", "CHỦ TỊCH ỦY BAN NHÂN DÂN THÀNH PHỐ ĐÀ NẴNG". */
const AUTHORITY_LINE = /^(?:CHỦ TỊCH|BỘ TRƯỞNG|GIÁM ĐỐC|TỔNG GIÁM ĐỐC|THỦ TRƯỞNG)\s+(.+)$/u;
const GENERIC_BODY = /^(?:ỦY BAN NHÂN DÂN|UBND)$/u;
const PROVINCE = /tỉnh\s+(\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,2})/u;

const isUpperWord = (word: string) => /\p{Lu}/u.test(word) && !/[\p{Ll}\d]/u.test(word);

/** The last run of upper-case words above "Số:" once the national motto is cut: the issuing body as typeset. */
function headerBody(lines: string[]): string | null {
  const codeLine = lines.findIndex((line) => /(?:^|\s)Số\s*:/u.test(line));
  if (codeLine === -1 || codeLine > 30) return null;
  const sameLine =
    (lines[codeLine] ?? '')
      .split(/(?:^|\s)Số\s*:/u)[0]
      ?.split('|')
      .at(-1)
      ?.trim() ?? '';
  if (sameLine !== '' && !MOTTO.test(sameLine)) return sameLine;
  const above = lines.slice(0, codeLine).join(' ').replace(MOTTO, '').replace(HEADER_SEPARATORS, ' | ');
  const runs: string[][] = [[]];
  for (const word of above.split(/\s+/u).filter((piece) => piece !== '')) {
    const run = runs.at(-1) ?? [];
    const joinsRun = isUpperWord(word) || (word === '-' && run.length > 0);
    if (joinsRun) run.push(word);
    else if (run.length > 0) runs.push([]);
  }
  const body =
    runs
      .filter((run) => run.length > 0)
      .at(-1)
      ?.join(' ') ?? null;
  return body === null || body.length < 3 ? null : body;
}

function authorityBody(lines: string[]): string | null {
  const decision = lines.findIndex((line) => /^QUYẾT ĐỊNH$/iu.test(line));
  if (decision === -1) return null;
  for (const line of lines.slice(decision + 1, decision + 6)) {
    const body = AUTHORITY_LINE.exec(line)?.[1];
    if (body !== undefined) return body.trim();
  }
  return null;
}

function signerBody(text: string): string | null {
  const office = SIGNER.exec(text)?.[1];
  if (office === undefined) return null;
  if (office === 'Thủ tướng') return 'Thủ tướng Chính phủ';
  // The place is looked for after the signer: "Chủ tịch UBND Thành phố Nguyễn Xuân Lưu" names a person, not a city.
  const signed = SIGNER.exec(text);
  const after = signed === null ? text : text.slice(signed.index + signed[0].length);
  return withPlaceOfLevel(office.replace(/^(?:Bộ trưởng|Chủ tịch)\s+/u, ''), after);
}

/** "UBND tỉnh" / "UBND Thành phố" ends at its level: the place is the one the text names with that level. */
function withPlaceOfLevel(body: string, text: string): string {
  const level = /\s(tỉnh|thành phố)$/iu.exec(body);
  if (!level) return body;
  const levelWords = (level[1] ?? '')
    .toLocaleLowerCase('vi')
    .replace(/^\p{L}/u, (first) => `[${first}${first.toLocaleUpperCase('vi')}]`);
  const place = new RegExp(String.raw`${levelWords}\s+(\p{Lu}\p{Ll}*(?:\s+\p{Lu}\p{Ll}*){0,2})`, 'u').exec(text)?.[1];
  if (place === undefined || !/^\p{Lu}/u.test(place)) return body;
  return `${body.slice(0, level.index)} ${(level[1] ?? '').toLocaleLowerCase('vi')} ${place}`;
}

function proseBody(text: string): string | null {
  for (const pattern of [ISSUING, AS_ABBREVIATED, ABBREVIATED_ISSUING, NAME_WITH_COMMAS]) {
    const issuer = pattern.exec(text)?.[1]?.replace(/\s+/gu, ' ').trim();
    if (issuer === undefined) continue;
    // "UBND tỉnh ban hành … trên địa bàn tỉnh Bình Phước": the province is stated, only further along.
    const province = /tỉnh$/u.test(issuer) ? PROVINCE.exec(text)?.[1] : undefined;
    return province === undefined ? issuer : `${issuer} ${province}`;
  }
  return null;
}

/** An issuing told as an event: "đã/vừa ban hành", or a sentence opening with its date ("Ngày 22/01/2024, Bộ trưởng …
 * ban hành …"); "hằng năm, Sở … tham mưu Chủ tịch UBND tỉnh ban hành Kế hoạch …" is a habit, not a plan. */
function isEvent(text: string, match: RegExpExecArray | null): boolean {
  if (match === null) return false;
  if (/(?:^|\s)(?:đã|vừa)\s/u.test(match[0]) || /^\W*ngày\s*\d/iu.test(match[0])) return true;
  return /ngày\s*\d{1,2}\s*\/\s*\d{1,2}(?:\s*\/\s*\d{4})?\s*,\s*$/iu.test(
    text.slice(Math.max(0, match.index - 24), match.index + 1),
  );
}

/** A sentence whose subject is a body and whose verb issues a plan, told as an event ("Ủy ban nhân dân xã Tứ Kỳ đã ban
 * hành Kế hoạch …", "Sở Văn hóa, Thể thao và Du lịch đã ban hành Kế hoạch …", "Ngày 22/01/2024, Bộ trưởng Bộ Nội vụ ban
 * hành Quyết định … về Kế hoạch …"): the text reports a plan, whatever its code. */
export function reportsIssuedPlan(text: string): boolean {
  if ([ISSUING, ABBREVIATED_ISSUING, NAME_WITH_COMMAS].some((pattern) => isEvent(text, pattern.exec(text))))
    return true;
  const signed = SIGNER.exec(text);
  return (
    isEvent(text, signed) &&
    signed !== null &&
    /Kế hoạch/u.test(text.slice(signed.index, signed.index + signed[0].length + 160))
  );
}

/** "Hà Nội, ngày 13 tháng 9 năm 2012": the place a document is issued in. */
const PLACE_LINE = /(?:^|\|\s*)(\p{Lu}[\p{L} .–-]{1,30}?),\s*ngày\s+\d{1,2}\s+tháng/mu;
const LEVEL_AT_END = /\s(Tỉnh|tỉnh|Thành phố|thành phố|Huyện|huyện|Quận|quận|Thị xã|thị xã)$/u;

/** A header cut to "ỦY BAN NHÂN DÂN" (the line with the place lost) and a text saying "UBND Thành phố ban hành Kế
 * hoạch …" under "Hà Nội, ngày …": the body is "UBND thành phố Hà Nội". Only a level without its place is completed. */
function completedFromPlace(issuer: string | null, text: string): string | null {
  if (issuer === null) return null;
  const level = LEVEL_AT_END.exec(issuer);
  const place = PLACE_LINE.exec(text)?.[1]?.trim();
  if (!level || place === undefined) return null;
  return `${issuer.slice(0, level.index)} ${(level[1] ?? '').toLocaleLowerCase('vi')} ${place}`;
}

/** A header cut to "ỦY BAN NHÂN DÂN" over "Tuyên Quang, ngày 26 tháng 3 năm 2025", in a text that names "tỉnh Tuyên
 * Quang" (or "thành phố …") anywhere: the body is that province's (city's) committee, set in the header's capitals. */
function placeOfBareHeader(header: string, text: string): string | null {
  const place = PLACE_LINE.exec(text)?.[1]?.trim();
  if (place === undefined) return null;
  const level = new RegExp(
    String.raw`(tỉnh|thành phố)\s+${place.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&')}(?![\p{L}])`,
    'iu',
  ).exec(text)?.[1];
  if (level === undefined) return null;
  return `${header} ${level} ${place}`.toLocaleUpperCase('vi');
}

export function findIssuer(lines: string[], text: string): string | null {
  const header = headerBody(lines);
  if (header !== null && !GENERIC_BODY.test(header)) return header;
  const authority = authorityBody(lines);
  if (authority !== null) return authority;
  if (header !== null) return completedFromPlace(proseBody(text), text) ?? placeOfBareHeader(header, text) ?? header;
  return proseBody(text) ?? signerBody(text);
}
