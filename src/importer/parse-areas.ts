import type { ContentArea, ContentAreaKey } from '../domain/plan';
import { splitClauses } from './clauses';
import { keywordMatcher, trimItem } from './text-match';

/** Keywords of each content area. A clause belongs to the area whose keyword it names first. */
const AREA_KEYWORDS = keywordMatcher<ContentAreaKey>([
  { key: 'chu-truong', keywords: ['quan điểm', 'chủ trương', 'đường lối', 'tầm quan trọng'] },
  {
    key: 'chi-dao-dieu-hanh',
    keywords: [
      'chỉ đạo',
      'điều hành',
      'vai trò, trách nhiệm',
      'người đứng đầu',
      'chương trình tổng thể',
      'kế hoạch cải cách hành chính',
      'kế hoạch thực hiện cải cách hành chính',
    ],
  },
  { key: 'the-che', keywords: ['thể chế', 'văn bản quy phạm pháp luật'] },
  { key: 'thu-tuc-hanh-chinh', keywords: ['thủ tục hành chính', 'một cửa', 'quy định hành chính'] },
  { key: 'to-chuc-bo-may', keywords: ['tổ chức bộ máy', 'tinh giản biên chế', 'vị trí việc làm'] },
  { key: 'che-do-cong-vu', keywords: ['chế độ công vụ', 'văn hóa công vụ', 'đạo đức công vụ'] },
  { key: 'tai-chinh-cong', keywords: ['tài chính công', 'tự chủ tài chính'] },
  {
    key: 'chinh-phu-so',
    keywords: ['chính phủ điện tử', 'chính phủ số', 'chuyển đổi số', 'dịch vụ công trực tuyến', 'công nghệ thông tin'],
  },
  { key: 'chi-so', keywords: ['chỉ số', 'PCI', 'PAR INDEX', 'SIPAS', 'PAPI'] },
  { key: 'dien-hinh', keywords: ['điển hình', 'mô hình', 'biểu dương', 'gương'] },
]);

const BULLET = /^[-+•–]\s/u;
/** "+ Cải cách thể chế: a; b" – a short heading before the colon names the area, the rest details it. */
const SUBHEADING = /^\+\s*([^:]{3,60}):\s*(.+)$/u;
/** The tail that announces a list, e.g. ", gồm các nội dung cơ bản sau:". */
const LEAD_IN_TAIL = /,?\s*(?:bao gồm|gồm|như sau|sau đây|sau)[^,;:]*:$/u;

export function classifyArea(text: string): ContentAreaKey {
  return AREA_KEYWORDS.earliest(text) ?? 'khac';
}

/** Neighbouring clauses of one area become one entry, quoted as the plan wrote them. */
function areasOfParagraph(paragraph: string): ContentArea[] {
  const areas: ContentArea[] = [];
  type OpenEntry = { key: ContentAreaKey; start: number; end: number };
  let open = null as OpenEntry | null;
  const close = () => {
    if (open) areas.push({ key: open.key, wording: trimItem(paragraph.slice(open.start, open.end)), details: [] });
  };
  for (const clause of splitClauses(paragraph)) {
    const key = classifyArea(clause.text);
    if (open?.key === key) {
      open.end = clause.end;
    } else {
      close();
      open = { key, start: clause.start, end: clause.end };
    }
  }
  close();
  return areas;
}

function detailsOf(text: string): string[] {
  return splitClauses(text)
    .map((clause) => trimItem(clause.text))
    .filter((detail) => detail !== '');
}

/** Content lines → areas. A line that fits no area is kept as `khac`, never dropped. */
export function parseAreas(lines: string[]): ContentArea[] {
  return lines.flatMap((line) => {
    const subheading = SUBHEADING.exec(line);
    if (subheading) {
      const heading = trimItem(subheading[1] ?? '');
      return [{ key: classifyArea(heading), wording: heading, details: detailsOf(subheading[2] ?? '') }];
    }
    if (line.endsWith(':') && !BULLET.test(line)) return [];
    return areasOfParagraph(trimItem(line).replace(LEAD_IN_TAIL, ''));
  });
}

/** Every content area whose keywords `text` names, earliest first (used to propose an area for news from a feed). */
export function areaHits(text: string): ContentAreaKey[] {
  return AREA_KEYWORDS.hits(text).map((hit) => hit.key);
}
