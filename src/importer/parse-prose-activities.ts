import type { KeyActivity } from '../domain/plan';
import { splitClauses } from './clauses';
import { findDocumentCodes } from './document-codes';
import { capitalize, trimItem } from './text-match';
import { findTimingWording, parseTiming } from './timing';
import { startsUnitName, type UnitRegistry } from './units';

/**
 * Key activities a plan states in running prose rather than in a list "a) …": "Tổ chức hội nghị …, tọa đàm …",
 * "Phát động Cuộc thi …", "Xây dựng chuyên mục …", "đăng tải tin bài …", "Sở Nội vụ chủ trì, phối hợp với … tổ chức …
 * trong Quý II". An activity is a doing verb followed closely by a concrete thing to make or hold (an event, a column,
 * news items, printed matter, visual panels); "tuyên truyền …", "nâng cao nhận thức …" name no such thing and are not
 * activities. Goals, citations ("Căn cứ …", "Thực hiện Kế hoạch số …") and the titles of cited documents never yield
 * one. Prose activities are numbered "1", "2", … in the plan's order (a plan's own list uses letters).
 */

/** A broadcast programme, not a programme document ("Chương trình tổng thể cải cách hành chính", "Chương trình số 06"). */
const PROGRAMME =
  'chương trình(?!\\s+(?:tổng thể|hành động|mục tiêu|số|công tác|chuyển đổi|phát triển|cải cách|quốc gia))';

interface ActivityRule {
  verbs: string;
  objects: string;
}

/** Each verb must be followed, within a few words, by one of its objects ("tổ chức các lớp tập huấn", "đưa các tin, bài"). */
const RULES: readonly ActivityRule[] = [
  {
    verbs: 'tổ chức|tổ chức thực hiện',
    objects: `hội nghị|hội thảo|tọa đàm|toạ đàm|hội thi|cuộc thi|lớp|tập huấn|bồi dưỡng|đối thoại|diễn đàn|lễ|buổi|${PROGRAMME}|tuyên truyền lưu động|triển lãm|giao lưu|sân khấu hóa|hội diễn|liên hoan|chiến dịch|ngày hội`,
  },
  { verbs: 'phát động', objects: 'cuộc thi|hội thi|phong trào|chiến dịch' },
  {
    verbs: 'xây dựng|duy trì|phát triển|mở(?!\\s+rộng)|thực hiện|sản xuất|biên tập|thiết kế',
    objects: `chuyên mục|chuyên trang|chuyên đề|phóng sự|video|clip|tiểu phẩm|${PROGRAMME}|tin, bài|tin bài|bản tin|bài viết|bài|infographic|ấn phẩm|tờ rơi|tờ gấp|tờ tin|pa nô|pano|áp phích`,
  },
  {
    // "phát" broadcasts; "phát huy", "phát triển", "phát hiện" … are other words.
    verbs:
      'đăng tải|đăng, phát|đăng phát|đăng|đưa|phát sóng|phát(?!\\s+(?:huy|triển|hiện|sinh|biểu|ra|hành|động|thanh))|cập nhật|đưa tin',
    objects: `(?<!thông\\s)tin|bài|tin, bài|tin bài|bản tin|thông tin|văn bản|phóng sự|video|clip|${PROGRAMME}|chuyên mục|nội dung|ảnh|hình ảnh`,
  },
  {
    verbs: 'phát hành|in|in ấn|biên soạn|cấp phát|phân phát',
    objects: 'tờ rơi|tờ gấp|tờ tin|pa nô|pano|áp phích|ấn phẩm|tài liệu|sổ tay|cẩm nang|bản tin|bộ câu hỏi',
  },
  {
    verbs: 'lắp đặt|treo|thay đổi|thay mới|kẻ vẽ|(?<!xây\\s)dựng|trang trí',
    objects: 'pa nô|pano|băng rôn|băng zôn|khẩu hiệu|áp phích|biển|bảng|cờ|nội dung tuyên truyền',
  },
];

const WORD_EDGE_BEFORE = '(?<![\\p{L}\\p{M}\\p{N}])';
const WORD_EDGE_AFTER = '(?![\\p{L}\\p{M}\\p{N}])';
/** Up to six words between the verb and its object ("duy trì thường xuyên các", "đưa các"). */
const GAP = '(?:[\\s,]+[^\\s.;:]+){0,6}?[\\s,]+';

const ACTIVITY_PATTERNS = RULES.map(
  (rule) =>
    new RegExp(
      `${WORD_EDGE_BEFORE}(?:${rule.verbs})${WORD_EDGE_AFTER}${GAP}(?:${rule.objects})${WORD_EDGE_AFTER}`,
      'iu',
    ),
);

/** A citation sentence and the list its semicolons run on: "Căn cứ …", "Thực hiện Kế hoạch số …". */
const CITATION_LINE =
  /^(?:[-+•–]\s*)?(?:căn cứ|thực hiện\s+(?:(?:kế hoạch|quyết định|chỉ thị|nghị quyết|công văn|chương trình|thông tư|nghị định|luật|đề án)(?![\p{L}])|các văn bản)|theo đề nghị|xét đề nghị|bám sát)/iu;
/** Words that make what follows a goal or a requirement, not something the plan says it will do. */
const GOAL_CUE =
  /mục tiêu|mục đích|yêu cầu|nhằm|phấn đấu|để\s|(?:^|\s)về(?: việc)?\s|ban hành|phê duyệt|quy định|hướng tới/iu;
/** What ends a title: the content list a sentence introduces ("… về CCHC với nội dung cụ thể: …"). */
const CONTENT_TAIL = /\s*(?:,\s*)?(?:với|gồm|theo)?\s*(?:các\s+)?nội dung(?:\s+(?:cụ thể|sau|như sau|chính))?\s*:.*$/iu;
/** A bare unit heading in the implementation part: "1. Sở Nội vụ", "b) Đài Truyền thanh huyện:". */
const UNIT_HEADING = /^(?:(?:[IVXLC]+|\d+(?:\.\d+)*)\.|[a-zđ]\))\s*([^:.;]{3,80}?)\s*(?::\s*(.*))?$/u;
/** "Sở Nội vụ chủ trì, phối hợp với Sở Tư pháp tổ chức …", "giao X chủ trì, phối hợp với Y …". */
const LEAD_ROLE =
  /(?:^|\s)(?:giao\s+)?(.+?)\s+(?:chủ trì|chịu trách nhiệm|có trách nhiệm|thực hiện|chủ động)(?![\p{L}])/iu;
/** Outside an activity's own sentence only a unit given the lead carries over: "UBND tỉnh giao Sở X chủ trì, …". */
const GIVEN_LEAD = /(?:^|\s)(?:giao\s+)?(.+?)\s+(?:chủ trì|chịu trách nhiệm chính)(?![\p{L}])/iu;
const PARTNERS =
  /phối hợp(?:\s+chặt chẽ)?\s+với\s+(.+?)(?=\s+(?:tổ chức|phát động|xây dựng|duy trì|phát triển|mở|thực hiện|sản xuất|biên tập|thiết kế|đăng|đưa|phát|cập nhật|in|biên soạn|lắp đặt|treo|thay đổi|dựng|trang trí|tham mưu|chỉ đạo|hướng dẫn|triển khai|tiếp tục)(?![\p{L}]))/iu;
/** What follows a subject before its task: "Trung tâm … tiếp tục duy trì", "Các phòng, ban triển khai thực hiện". */
const SUBJECT_TAIL =
  /\s+(?:tiếp tục|chủ động|kịp thời|tăng cường|thường xuyên|định kỳ|đẩy mạnh|triển khai|khẩn trương|có trách nhiệm)(?:\s.*)?$/iu;
/** "Các cơ quan, đơn vị …" names every unit at once; such a subject is no lead. So is a bare back-reference ("Trung tâm"). */
const TOO_GENERIC =
  /^(?:các\s+)?(?:cơ quan|đơn vị|sở, ban, ngành|ngành|địa phương|trung tâm|phòng|ban|sở)(?:,|\s+(?:liên quan|có liên quan))?$|^(?:cơ quan|đơn vị)(?![\p{L}])/iu;

/** "Các …" starts a unit's name only when a kind of unit follows ("các phòng chuyên môn", not "các hoạt động"). */
const GROUP_OF_UNITS =
  /^các\s+(?:sở|ban|phòng|ngành|hội|đoàn thể|trung tâm|đài|báo|cơ quan báo chí|trường|UBND|ủy ban|xã|phường|huyện|thị trấn|tổ chức chính trị|đơn vị sự nghiệp)(?![\p{L}])/iu;
/** An upper-case line is a heading or a title ("ĐƯA THÔNG TIN VỀ CƠ SỞ …"), never a sentence of prose. */
const isUpperCase = (line: string) => line === line.toLocaleUpperCase('vi');

/** Activity sentences of real plans run to a few hundred characters. */
const MAX_CLAUSE = 1000;

interface Found {
  title: string;
  timingWording: string | null;
  lead: string | null;
  partners: string | null;
}

function activityAt(clause: string): number {
  const starts = ACTIVITY_PATTERNS.map((pattern) => pattern.exec(clause)?.index ?? -1).filter((index) => index >= 0);
  return starts.length === 0 ? -1 : Math.min(...starts);
}

/** The unit a clause's subject names before its verb, when it is a unit's name and not a group of all of them. */
function unitNamed(phrase: string): string | null {
  const name = trimItem(
    phrase
      .replace(/^(?:UBND[^,]*?\s)?giao\s+/iu, '')
      .replace(/^(?:đồng thời|trong đó|theo đó)[, ]\s*/iu, '')
      .replace(SUBJECT_TAIL, ''),
  );
  if (
    !startsUnitName(name) ||
    TOO_GENERIC.test(name) ||
    (/^các\s/iu.test(name) && !GROUP_OF_UNITS.test(name)) ||
    name.split(/\s+/u).length > 16
  )
    return null;
  return name;
}

function leadIn(prefix: string): string | null {
  const role = LEAD_ROLE.exec(prefix);
  if (role) return unitNamed(role[1] ?? '');
  // "Trung tâm Văn hóa … huyện tổ chức …": the subject comes straight before the verb.
  return unitNamed(prefix);
}

/** "phối hợp với Y" before the activity's verb: the partner units. */
function partnersBefore(clause: string, at: number): string | null {
  const match = PARTNERS.exec(clause);
  return match && match.index < at ? (match[1] ?? null) : null;
}

function subjectOf(clause: string): string | null {
  const role = GIVEN_LEAD.exec(clause);
  return role ? unitNamed(role[1] ?? '') : null;
}

function readClause(clause: string, sentenceTiming: string | null): Found | null {
  const at = activityAt(clause);
  if (at < 0) return null;
  const prefix = clause.slice(0, at);
  if (GOAL_CUE.test(prefix) || findDocumentCodes(prefix).length > 0 || prefix.split(/\s+/u).length > 24) return null;
  const title = capitalize(trimItem(clause.slice(at).replace(CONTENT_TAIL, '')).replace(/\s*[.…]+$/u, ''));
  if (title.split(/\s+/u).length < 3) return null;
  return {
    title,
    timingWording: findTimingWording(clause) ?? sentenceTiming,
    lead: leadIn(prefix),
    partners: partnersBefore(clause, at),
  };
}

/** Key activities stated in the prose of the given lines (content, forms, implementation, or a news item's text). */
export function parseProseActivities(lines: string[], year: number | null, units: UnitRegistry): KeyActivity[] {
  const activities: KeyActivity[] = [];
  // The unit a heading or the previous sentence of the paragraph made the subject: "1. Sở Nội vụ" then "- Chủ trì …".
  let headingUnit: string | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (line === '' || isUpperCase(line) || CITATION_LINE.test(line)) continue;
    let body = line;
    const heading = UNIT_HEADING.exec(line);
    if (heading && startsUnitName(heading[1] ?? '') && activityAt(heading[1] ?? '') < 0) {
      headingUnit = unitNamed(heading[1] ?? '');
      body = heading[2] ?? '';
    } else if (/^(?:[IVXLC]+|\d+)\.\s/u.test(line)) {
      headingUnit = null;
    }
    let sentenceUnit = headingUnit;
    // "… mạng xã hội…Xây dựng các phóng sự …": an ellipsis glued to a capital ends a sentence too.
    const paragraph = body.replace(/…(?=\p{Lu})/gu, '…. ');
    // "Năm 2021, tỉnh tiếp tục duy trì …; …; thay đổi …": a time stated at the head of a sentence covers the clauses
    // its semicolons join.
    let sentenceTiming: string | null = null;
    let previousEnd = 0;
    for (const clause of splitClauses(paragraph)) {
      const text = trimItem(clause.text);
      // A clause longer than any activity sentence is read as none: it keeps the lazy subject patterns linear.
      if (text.length > MAX_CLAUSE) {
        sentenceUnit = headingUnit;
        continue;
      }
      if (!paragraph.slice(previousEnd, clause.start).includes(';')) sentenceTiming = null;
      previousEnd = clause.end;
      const leading = findTimingWording(text);
      if (leading !== null && text.startsWith(leading)) sentenceTiming = leading;
      const found = readClause(text, sentenceTiming);
      if (!found) {
        // "UBND tỉnh giao Sở X chủ trì, … . Chủ trì, phối hợp với Y cập nhật …": the next sentence keeps the subject.
        sentenceUnit = subjectOf(text) ?? sentenceUnit;
        continue;
      }
      const lead = found.lead ?? sentenceUnit;
      sentenceUnit = lead;
      activities.push({
        label: String(activities.length + 1),
        title: found.title,
        timing: found.timingWording === null ? null : parseTiming(found.timingWording, { year }),
        leadUnitKeys: lead === null ? [] : units.addList(lead),
        partnerUnitKeys: found.partners === null ? [] : units.addList(found.partners),
      });
    }
  }
  return activities;
}
