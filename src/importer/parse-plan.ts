import type { ChannelMention, StructuredPlan } from '../domain/plan';
import type { Platforms } from '../domain/platforms';
import { confidenceReport, type ImportReport } from './confidence';
import { type PostedAt, postedAt } from './dates';
import { ImportError } from './import-error';
import { parseActivities } from './parse-activities';
import { parseAreas } from './parse-areas';
import { registerAssignedUnits } from './parse-assignments';
import { parseChannels } from './parse-channels';
import { parseIdentity } from './parse-identity';
import { parseProseActivities } from './parse-prose-activities';
import { parseReporting } from './parse-reporting';
import { reportsIssuedPlan } from './plan-issuer';
import { splitSections } from './sections';
import { trimItem } from './text-match';
import { mergedCommunes, UnitRegistry } from './units';

/** What makes a text a plan even without a code: its heading, the clause that introduces it ("… xây dựng kế hoạch …
 * như sau:"), a decision issuing it, the headings only plans have, or its own words "Kế hoạch này". */
const PLAN_SIGNS: readonly RegExp[] = [
  /^KẾ HOẠCH$/mu,
  /^(?:VỀ VIỆC\s+)?BAN HÀNH\s+KẾ HOẠCH/mu,
  /Điều\s+1\.\s*Ban hành\s+(?:kèm theo Quyết định này\s+)?Kế hoạch/u,
  /(?:ban hành|xây dựng)\s+(?:Kế|kế)\s*hoạch[^.;:]*?(?:như sau|cụ thể)\s*:/u,
  /^(?:[IVXLC]+\.\s*)?(?:MỤC ĐÍCH|MỤC TIÊU|CĂN CỨ LẬP KẾ HOẠCH)/mu,
  /Kế hoạch này/u,
  // A news item about a plan: "ban hành Kế hoạch số 627" (a number, no code), "Để kế hoạch đạt hiệu quả …, xã …
  // đề ra các nhiệm vụ cụ thể", whatever the plan's code looks like.
  /(?:ban hành|triển khai)\s+(?:Kế|kế)\s*hoạch\s+số\s*\d+/u,
  /(?:^|[.;]\s*)Để\s+kế\s*hoạch\s/mu,
  /đề ra các nhiệm vụ(?:\s+cụ thể)?/u,
];
/** A plan without a content part names its content in prose: after "… với nội dung cụ thể:", or in a paragraph that
 * opens with what is to be communicated ("Tuyên truyền, phổ biến tầm quan trọng …"). */
const CONTENT_LEAD = /nội dung\s+(?:cụ thể|sau|như sau|gồm|chính|đó là|là)\s*:\s*(.+)$/iu;
/** "Tuyên truyền, phổ biến tầm quan trọng …" names what is communicated; "Tuyên truyền rộng rãi đến người dân …" (to
 * whom) is a purpose. */
const CONTENT_PARAGRAPH =
  /^(?:[-+•–]\s*)?Tuyên truyền(?:,?\s*phổ biến)?\s+(?:về|các|những|nội dung|tầm quan trọng|việc|kết quả|chủ trương|quan điểm)(?=[\s,])/u;

function contentInProse(lines: string[]): string[] {
  return lines.flatMap((line) => {
    const lead = CONTENT_LEAD.exec(line)?.[1];
    if (lead !== undefined) return [lead];
    return CONTENT_PARAGRAPH.test(line) ? [line] : [];
  });
}

/** Channels gathered from prose and from the activities it states, in the order the text first names them. */
function inOrderOfMention(channels: ChannelMention[], text: string): ChannelMention[] {
  const lower = text.toLocaleLowerCase('vi');
  const at = (mention: ChannelMention) => {
    // An activity's title starts with a capital the sentence may not have.
    const index = lower.indexOf(mention.wording.toLocaleLowerCase('vi'));
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return channels
    .map((mention) => ({ mention, index: at(mention) }))
    .sort((a, b) => a.index - b.index)
    .map(({ mention }) => mention);
}

const ARCHIVE_COPY = /^lưu\s*:/iu;
const LIST_ITEM = /^[-+•–]\s/u;
/** A lead-in such as "Theo đó kế hoạch đề ra … như sau:" introduces items and is not one. */
const isLeadIn = (line: string) => line.endsWith(':');

function parseGoals(lines: string[]): string[] {
  return lines
    .filter((line) => !isLeadIn(line))
    .map(trimItem)
    .filter((goal) => goal !== '');
}

function parseRecipients(lines: string[], units: UnitRegistry): string[] {
  return lines
    .filter((line) => LIST_ITEM.test(line))
    .map(trimItem)
    .filter((name) => name !== '' && !ARCHIVE_COPY.test(name))
    .map((name) => units.add(name));
}

/**
 * Cleaned text → structured plan. Throws `ImportError('not-a-plan')` for a document with neither a plan code nor any
 * content or forms of communication (a results review, a news item): importing it would yield an empty plan.
 */
export function parseCleanText(text: string, platforms: Platforms): StructuredPlan {
  return parseCleanTextWithReport(text, platforms).plan;
}

/** The plan and what the importer could not place in it. */
export function parseCleanTextWithReport(
  text: string,
  /** The platforms Loa publishes to (the registry in channels/), whose words the plan's forms are matched against. */
  platforms: Platforms,
  posted: PostedAt | null = postedAt(text),
): { plan: StructuredPlan; report: ImportReport } {
  const sections = splitSections(text);
  const identity = parseIdentity(text, posted);
  const contentAreas = parseAreas(
    sections.content.length > 0
      ? sections.content
      : contentInProse([...sections.preamble, ...sections.activities, ...sections.organisation]),
  );
  // Plans with a forms part list their channels there; the rest name them in running prose.
  const title = identity.title === null ? [] : [identity.title];
  const prose =
    sections.forms.length === 0
      ? [
          ...title,
          ...sections.preamble,
          ...sections.goals,
          ...sections.content,
          ...sections.activities,
          ...sections.organisation,
        ]
      : [];
  const channels = parseChannels(platforms, sections.forms, sections.content, prose);
  const statesAPlan = identity.code !== null || PLAN_SIGNS.some((sign) => sign.test(text)) || reportsIssuedPlan(text);
  // What prose alone yields does not make a plan: a results review also says where it communicated.
  const hasPlanParts = sections.content.length > 0 || sections.forms.length > 0;
  if (!statesAPlan && !(hasPlanParts && (contentAreas.length > 0 || channels.length > 0))) {
    throw new ImportError(
      'not-a-plan',
      'Văn bản không nói về một kế hoạch nào (có thể là chỉ thị, báo cáo kết quả hay bài viết chung): không có số hiệu kế hoạch, không có câu ban hành hay triển khai kế hoạch, không có phần nội dung hay hình thức tuyên truyền.',
      'text',
    );
  }
  const units = new UnitRegistry();
  units.mapMerged(mergedCommunes(text));
  if (identity.issuer !== null) units.add(identity.issuer);
  // A plan's own list of key activities ("a) …") is what it names as such; without one, the activities it states in
  // its prose are read (never from its goals, funding or citations).
  const listed = parseActivities(sections.activities, identity.year, units);
  const proseParts = [
    ...sections.preamble,
    ...sections.content,
    ...sections.forms,
    ...sections.activities,
    ...sections.organisation,
  ];
  // The units the implementation part gives tasks to come first: a prose activity's lead is usually one of them.
  registerAssignedUnits(sections.organisation, units);
  const activities = listed.length > 0 ? listed : parseProseActivities(proseParts, identity.year, units);
  const reporting = parseReporting(sections.organisation, units);
  const recipientUnitKeys = parseRecipients(sections.recipients, units);
  const funding = sections.funding.map(trimItem).join(' ');
  const plan: StructuredPlan = {
    identity,
    goals: parseGoals(sections.goals),
    contentAreas,
    // A plan with no forms part also names forms in the activities its prose states ("Xây dựng các phóng sự, video
    // clip, chuyên mục …"): those count as its channels too.
    channels:
      sections.forms.length === 0 && listed.length === 0
        ? inOrderOfMention(
            parseChannels(
              platforms,
              [],
              sections.content,
              prose,
              activities.map((activity) => activity.title),
            ),
            text,
          )
        : channels,
    activities,
    reporting,
    funding: funding === '' ? null : funding,
    units: units.all(),
    recipientUnitKeys,
  };
  return { plan, report: confidenceReport(plan, sections) };
}
