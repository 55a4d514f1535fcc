import { stripForbidden } from '../domain/text';
import { wordPattern } from './text-match';

/**
 * Turns text as published (PDF extraction, a portal page copied with its menus, NFD from some editors) into one
 * canonical form: NFC, one line per paragraph, no page furniture, known typos repaired. Equal documents give equal
 * output whatever their line endings, spacing or Unicode form, so the hash of the output identifies a document.
 */

/** Typos seen in published plans. Repaired case-preservingly, as whole words, so the line around them stays. */
const TYPO_REPAIRS: readonly [wrong: string, right: string][] = [
  ['tuyên truyển', 'tuyên truyền'],
  ['tuyên tuyền', 'tuyên truyền'],
  ['đổi tượng', 'đối tượng'],
  ['cocơ quan', 'cơ quan'],
  ['chi số', 'chỉ số'],
  ['hội thì', 'hội thi'],
  ['offical', 'official'],
  ['đoàn thề', 'đoàn thể'],
  ['tỉnh thần trách nhiệm', 'tinh thần trách nhiệm'],
  ['hông qua', 'thông qua'],
  ['mong muốncần', 'mong muốn cần'],
];

/** Whole lines that belong to the web page around a document, never to the document. */
const FURNITURE_LINES: readonly RegExp[] = [
  /^lượt xem:?\s*[\d.,]*$/iu,
  /^đăng ngày\b/iu,
  /^\d+\s*%$/u,
  /^(?:thứ (?:hai|ba|tư|năm|sáu|bảy)|chủ nhật)\s*[-–,]\s*\d{1,2}\/\d{1,2}\/\d{4}(?:\s+\d{1,2}:\d{2})?$/iu,
  /^chế độ ban đêm\b/iu,
  /^cỡ chữ:/iu,
  /^[|°•·]+$/u,
  /^\d+\s+người đang online$/iu,
  /^tác giả:/iu,
  /^(?:chia sẻ|share|in bài(?: viết)?|gửi email|bản in|tweet|facebook|zalo|like|thích)$/iu,
  /^[\w.-]+\.(?:pdf|docx?|xlsx?|zip|rar)$/iu,
  // Page numbers of a PDF: "2", "- 3 -", "Trang 4/7".
  /^[-–]?\s*\d{1,3}\s*[-–]?$/u,
  /^trang\s+\d+(?:\s*\/\s*\d+)?$/iu,
  // Visitor counters: "Đang truy cập: 12,630", "• Hôm nay347,062".
  /^(?:•\s*)?(?:đang truy cập|đang online|hôm nay|trong tuần|tháng hiện tại|tất cả|tổng số|tổng lượt)[^.]*?[\d.,]+$/iu,
  // A widget's icon label repeated as its text: "Liên kết Liên kết".
  /^(\p{L}[\p{L} ]*) \1$/u,
];

/** Headings of page widgets (counters, related news). After the document's last paragraph one starts the page footer,
 * which is dropped whole; elsewhere (a sidebar copied above the article) only the heading line goes. */
const WIDGET_HEADINGS: readonly RegExp[] = [
  /^thống kê truy cập/iu,
  /^số lượng truy cập/iu,
  /^tin liên quan$/iu,
  /^tin mới nhất$/iu,
  /^tin cùng chuyên mục/iu,
  /^bài viết liên quan/iu,
  /^tổng số điểm của bài viết/iu,
  /^click để đánh giá/iu,
];

/** Widgets glued to the start of the first line of a copied page. */
const FURNITURE_PREFIXES: readonly RegExp[] = [/^.*?đã kết nối\s*EMC\s*/iu];

const SENTENCE_END = /[.:;!?)"”…]$/u;
const STARTS_LOWERCASE = /^[\p{Ll}]/u;
const LIST_MARKER = /^(?:[-+•–]|[a-zđ]\)|\d+\.)\s/u;
const NUMBERED_HEADING = /^(?:[IVXLC]+|\d+)\.\s/u;

function repairTypos(text: string): string {
  return TYPO_REPAIRS.reduce(
    (current, [wrong, right]) =>
      current.replace(wordPattern(wrong), (found) =>
        found.charAt(0) === found.charAt(0).toLocaleUpperCase('vi')
          ? right.charAt(0).toLocaleUpperCase('vi') + right.slice(1)
          : right,
      ),
    text,
  );
}

function normaliseSpacing(line: string): string {
  return line
    .replace(/[\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff\t]/gu, ' ')
    .replace(/\*+/g, '')
    .replace(/‘\s*"/gu, '“')
    .replace(/ {2,}/g, ' ')
    .trim();
}

const PARAGRAPH_LENGTH = 200;

function isWidgetHeading(line: string): boolean {
  return WIDGET_HEADINGS.some((pattern) => pattern.test(line));
}

function dropPageWidgets(lines: string[]): string[] {
  const lastParagraph = lines.findLastIndex((line) => line.length >= PARAGRAPH_LENGTH);
  const footer = lines.findIndex((line, index) => index > lastParagraph && isWidgetHeading(line));
  return (footer === -1 ? lines : lines.slice(0, footer)).filter((line) => !isWidgetHeading(line));
}

/** A paragraph split by a page break ("…của tỉnh; tuyên" / "truyền tình hình…") is one paragraph again. */
function joinBrokenParagraphs(lines: string[]): string[] {
  const joined: string[] = [];
  for (const line of lines) {
    const previous = joined.at(-1);
    const continuesPrevious =
      previous !== undefined &&
      !SENTENCE_END.test(previous) &&
      !NUMBERED_HEADING.test(previous) &&
      STARTS_LOWERCASE.test(line) &&
      !LIST_MARKER.test(line);
    if (continuesPrevious) {
      joined[joined.length - 1] = `${previous} ${line}`;
    } else {
      joined.push(line);
    }
  }
  return joined;
}

/** An author's name alone on the last line of an article ("Ngọc Sang", "Nguyễn Lan"). */
function isByline(line: string, previous: string | undefined): boolean {
  const words = line.split(' ');
  return (
    previous !== undefined &&
    /[.!?/]$/u.test(previous) &&
    words.length >= 2 &&
    words.length <= 4 &&
    words.every((word) => /^\p{Lu}\p{Ll}*$/u.test(word))
  );
}

function dropByline(lines: string[]): string[] {
  const last = lines.at(-1);
  return last !== undefined && isByline(last, lines.at(-2)) ? lines.slice(0, -1) : lines;
}

export function cleanText(raw: string): string {
  // Control characters and non-characters in a document are never meant: drop them rather than refuse the plan.
  const lines = stripForbidden(raw)
    .normalize('NFC')
    .split(/\r\n|\r|\n|\u2028|\u2029/u)
    .map(normaliseSpacing)
    .map((line) => FURNITURE_PREFIXES.reduce((text, prefix) => text.replace(prefix, ''), line))
    .filter((line) => line !== '' && !FURNITURE_LINES.some((pattern) => pattern.test(line)));
  const body = dropByline(joinBrokenParagraphs(dropPageWidgets(lines)));
  return body.map(repairTypos).join('\n');
}
