import type { Platform } from './channel';

/**
 * A communication plan ("Kế hoạch thông tin, tuyên truyền cải cách hành chính") as Loa understands it.
 * Pure types and fixed vocabularies: no I/O. Every field the source document does not state is `null` or an empty
 * list, never a guess.
 */

/** The fixed content-area taxonomy. Keys are stable: they are stored and appear in templates. */
export const CONTENT_AREAS = {
  'chu-truong': 'Quan điểm, chủ trương, chính sách về cải cách hành chính',
  'chi-dao-dieu-hanh': 'Công tác chỉ đạo, điều hành',
  'the-che': 'Cải cách thể chế',
  'thu-tuc-hanh-chinh': 'Cải cách thủ tục hành chính',
  'to-chuc-bo-may': 'Cải cách tổ chức bộ máy',
  'che-do-cong-vu': 'Cải cách chế độ công vụ',
  'tai-chinh-cong': 'Cải cách tài chính công',
  'chinh-phu-so': 'Xây dựng chính phủ điện tử, chính phủ số',
  'chi-so': 'Các chỉ số PCI, PAR INDEX, SIPAS, PAPI',
  'dien-hinh': 'Mô hình, điển hình tiên tiến',
  khac: 'Nội dung khác',
} as const;
export type ContentAreaKey = keyof typeof CONTENT_AREAS;

/** A platform Loa publishes to itself, as the registry in channels/ names it (its facts: `Platforms`). */
export type PlatformKey = Platform;

/** Forms a plan names that Loa does not publish to, kept so officers see the whole plan. */
export const OFFLINE_FORMS = {
  'bao-chi': 'Báo chí, phương tiện thông tin đại chúng',
  'phat-thanh-truyen-hinh': 'Đài Phát thanh - Truyền hình',
  video: 'Video, phóng sự, clip',
  youtube: 'YouTube',
  'chuyen-muc': 'Chuyên mục',
  'duong-day-nong': 'Đường dây nóng',
  'an-pham': 'Tờ rơi, tờ gấp, pa nô, áp phích',
  'hoi-thi': 'Hội thi, cuộc thi',
  'hoi-nghi': 'Hội nghị, hội thảo, tọa đàm',
  'tap-huan': 'Tập huấn, bồi dưỡng',
  'niem-yet': 'Niêm yết công khai',
  'luu-dong': 'Tuyên truyền lưu động',
  'long-ghep': 'Lồng ghép vào hoạt động khác',
  'mang-xa-hoi': 'Mạng xã hội (không nêu nền tảng)',
  'bang-tin': 'Bảng tin công cộng',
  khac: 'Hình thức khác',
} as const;
export type OfflineFormKey = keyof typeof OFFLINE_FORMS;

/** "Kế hoạch số 107/KH-UBND" → { text: '107/KH-UBND', number: 107, kind: 'KH', issuerAbbreviation: 'UBND' }.
 * A code issued with a blank number ("Số: /KH-SLĐTBXH") keeps its text and has `number: null`. */
export interface DocumentCode {
  text: string;
  number: number | null;
  kind: string;
  issuerAbbreviation: string;
}

export interface ParentPlanRef {
  code: DocumentCode;
  /** ISO date (YYYY-MM-DD). */
  issueDate: string | null;
  /** The sentence fragment that names it, e.g. "Kế hoạch số 96/KH-UBND ngày 19/3/2024 của UBND tỉnh về …". */
  wording: string;
}

/** A document the plan cites in its "Căn cứ …" / "Thực hiện …" sentences (never the plan itself). */
export type CitedDocument = ParentPlanRef;

/** The years a multi-year plan covers ("giai đoạn 2021 - 2025"). */
export interface PlanPeriod {
  from: number;
  to: number;
}

export interface PlanIdentity {
  /** The plan's own code exactly as written (a decision's code when the plan is issued inside a decision). */
  code: DocumentCode | null;
  issuer: string | null;
  /** ISO date (YYYY-MM-DD); null when the document leaves the day blank. */
  issueDate: string | null;
  /** The one year the plan is for; null for a multi-year plan (see `period`) or when the document does not say. */
  year: number | null;
  period: PlanPeriod | null;
  /** The plan's subject line ("trích yếu"), e.g. "Thông tin, tuyên truyền cải cách hành chính năm 2024". */
  title: string | null;
  parentPlan: ParentPlanRef | null;
  /** Every document cited in "Căn cứ …" / "Thực hiện …", the parent plan among them, in the document's order. */
  citedDocuments: CitedDocument[];
}

export interface ContentArea {
  key: ContentAreaKey;
  /** The plan's own words for this content. */
  wording: string;
  /** Sub-points when the plan lists them under a heading ("Cải cách thể chế: a; b; c"). */
  details: string[];
}

/** One form of communication the plan names: exactly one of `platform` / `offlineForm` is set. */
export interface ChannelMention {
  platform?: PlatformKey;
  offlineForm?: OfflineFormKey;
  wording: string;
}

export type RecurrenceUnit = 'week' | 'month' | 'quarter' | 'year';

/** When something happens, parsed from the plan's wording (always kept in `wording`). Dates are ISO YYYY-MM-DD. */
export type Timing =
  | { kind: 'recurring'; every: RecurrenceUnit; wording: string }
  | { kind: 'window'; from: string; to: string; wording: string }
  | { kind: 'deadline'; by: string; wording: string }
  | { kind: 'unparsed'; wording: string };

export interface KeyActivity {
  /** The plan's list label 'a', 'b', …; activities read from running prose are numbered '1', '2', … */
  label: string;
  title: string;
  timing: Timing | null;
  leadUnitKeys: string[];
  partnerUnitKeys: string[];
}

export interface ReportingDuty {
  /** What is reported, e.g. "kết quả thực hiện". */
  subject: string;
  fromUnitKeys: string[];
  toUnitKey: string | null;
  /** How often, as stated ("định kỳ"), or null. */
  frequency: string | null;
  wording: string;
}

/** A unit named by the plan; `key` is an ASCII slug of the name so Loa can store it. */
export interface PlanUnit {
  key: string;
  name: string;
}

export interface StructuredPlan {
  identity: PlanIdentity;
  /** Purposes and requirements (mục đích, yêu cầu), one entry per paragraph or bullet. */
  goals: string[];
  contentAreas: ContentArea[];
  channels: ChannelMention[];
  activities: KeyActivity[];
  reporting: ReportingDuty[];
  /** How the plan is funded (kinh phí), as stated. */
  funding: string | null;
  units: PlanUnit[];
  recipientUnitKeys: string[];
}
