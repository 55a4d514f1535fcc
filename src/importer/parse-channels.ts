import type { ChannelMention, OfflineFormKey, PlatformKey } from '../domain/plan';
import type { Platforms } from '../domain/platforms';
import { splitClauses, splitFragments } from './clauses';
import { keywordMatcher, trimItem } from './text-match';

type ChannelKey = { platform: PlatformKey } | { offlineForm: OfflineFormKey };

interface ChannelRule {
  key: ChannelKey;
  keywords: readonly (string | RegExp)[];
  /** Also looked for in the content part: plans list a Q&A column or a hotline among the things to keep up. */
  inContentToo?: boolean;
}

/**
 * "Đài phát thanh" without a local level ("xã", "cấp huyện") is the provincial radio-TV, which Loa does not publish
 * to; a local station is the radio platform's, whose descriptor (channels/radio) declares those words.
 */
const LOCAL_LEVELS = String.raw`\s+(?:cấp\s+)?(?:xã|phường|thị trấn|huyện|quận|thị xã|cơ sở)(?![\p{L}\p{M}])`;
const PROVINCIAL_STATION = new RegExp(
  String.raw`(?<![\p{L}\p{M}])đài\s+phát\s+thanh(?!${LOCAL_LEVELS})(?![\p{L}\p{M}])`,
  'iu',
);

/** Forms Loa does not publish to; the platforms' words come from their descriptors (`Platforms`) before these. */
const OFFLINE_RULES: readonly ChannelRule[] = [
  {
    key: { offlineForm: 'phat-thanh-truyen-hinh' },
    keywords: [PROVINCIAL_STATION, 'truyền hình', 'PT-TH', 'PT&TH', 'PTTH'],
  },
  {
    key: { offlineForm: 'bao-chi' },
    // "báo" is a newspaper, but "báo cáo" is a report.
    keywords: [/(?<![\p{L}\p{M}])báo(?!\s+cáo)(?![\p{L}\p{M}])/iu, 'phương tiện thông tin đại chúng', 'thông tấn'],
  },
  { key: { offlineForm: 'video' }, keywords: ['video', 'clip', 'phóng sự', 'tiểu phẩm'] },
  { key: { offlineForm: 'youtube' }, keywords: ['youtube'] },
  { key: { offlineForm: 'chuyen-muc' }, keywords: ['chuyên mục'], inContentToo: true },
  { key: { offlineForm: 'duong-day-nong' }, keywords: ['đường dây nóng', 'hotline'], inContentToo: true },
  {
    key: { offlineForm: 'an-pham' },
    // Billboards and banners are printed matter put up in public, like a pa nô.
    keywords: [
      'tờ rơi',
      'tờ gấp',
      'tờ tin',
      'pa nô',
      'pano',
      'áp phích',
      'ấn phẩm',
      'biển quảng cáo',
      'biển tấm lớn',
      'biển cổ động',
      'băng rôn',
      'băng-rôn',
      'băng zôn',
      'khẩu hiệu',
    ],
  },
  { key: { offlineForm: 'hoi-thi' }, keywords: ['hội thi', 'cuộc thi'] },
  { key: { offlineForm: 'hoi-nghi' }, keywords: ['hội nghị', 'hội thảo', 'tọa đàm'] },
  { key: { offlineForm: 'tap-huan' }, keywords: ['tập huấn', 'bồi dưỡng'] },
  { key: { offlineForm: 'niem-yet' }, keywords: ['niêm yết'] },
  { key: { offlineForm: 'luu-dong' }, keywords: ['lưu động'] },
  { key: { offlineForm: 'long-ghep' }, keywords: ['lồng ghép'] },
  { key: { offlineForm: 'mang-xa-hoi' }, keywords: ['mạng xã hội'] },
  { key: { offlineForm: 'bang-tin' }, keywords: ['bảng tin', 'bảng thông tin', 'bảng thông báo'] },
];

/** Channels a sentence of running prose names after a word of communicating: "đẩy mạnh tuyên truyền trên mạng xã hội,
 * qua Zalo, Trang thông tin điện tử của phường", "sử dụng các phương tiện thông tin đại chúng như: …". Only what
 * follows the cue counts, so "hệ thống truyền thanh hoạt động đến ấp" (the subject of a plan) is no channel. */
const PROSE_CUE =
  /(?:tuyên truyền|thông tin|đăng tải|đăng, phát|phát sóng|đưa tin)\s+(?:trên|qua)\s|thông qua\s|\squa\s|phương tiện thông tin[^.;:]*?như\s*:?\s/iu;
/** Every platform Loa publishes to counts in prose, and these forms. */
const PROSE_FORMS = new Set<string>(['bao-chi', 'phat-thanh-truyen-hinh', 'an-pham', 'mang-xa-hoi', 'bang-tin']);

type Matcher = ReturnType<typeof keywordMatcher<ChannelKey>>;

interface Matchers {
  all: Matcher;
  content: Matcher;
  /** The words of the platforms that are social networks, and the networks Loa does not publish to. */
  namedNetwork: (text: string) => boolean;
}

const OTHER_NETWORKS = /youtube|tiktok/iu;

/** Compiled once per registry (the installation's, or a test's). */
const compiled = new WeakMap<Platforms, Matchers>();

function matchersFor(platforms: Platforms): Matchers {
  let matchers = compiled.get(platforms);
  if (!matchers) {
    const rules: ChannelRule[] = [
      ...platforms.list.map((facts) => ({ key: { platform: facts.name }, keywords: facts.words })),
      ...OFFLINE_RULES,
    ];
    const networks = keywordMatcher(
      platforms.list
        .filter((facts) => facts.socialNetwork)
        .map((facts) => ({ key: facts.name, keywords: facts.words })),
    );
    matchers = {
      all: keywordMatcher(rules),
      content: keywordMatcher(rules.filter((rule) => rule.inContentToo)),
      namedNetwork: (text) => OTHER_NETWORKS.test(text) || networks.hits(text).length > 0,
    };
    compiled.set(platforms, matchers);
  }
  return matchers;
}

const countsInProse = (key: ChannelKey) => 'platform' in key || PROSE_FORMS.has(key.offlineForm);

/** Two mentions of one platform or form are one channel; every unrecognised form stays, each is different. */
function dedupKey(mention: ChannelMention): string | null {
  if (mention.platform) return `platform:${mention.platform}`;
  return mention.offlineForm === 'khac' ? null : `form:${mention.offlineForm}`;
}

/** The comma-separated fragment where the channel is named: "Đài Truyền thanh cấp huyện", not the whole list. */
function fragmentAt(clause: string, index: number): string {
  const fragment = splitFragments(clause).find((candidate) => index >= candidate.start && index < candidate.end);
  return trimItem(fragment?.text ?? clause);
}

function mentionsIn(
  lines: string[],
  matcher: Matcher,
  keepUnmatched: boolean,
  notGenericBesideNamed: (mention: ChannelMention) => boolean,
): ChannelMention[] {
  return lines.flatMap((line) =>
    splitClauses(trimItem(line)).flatMap((clause) => {
      const hits = matcher.hits(clause.text);
      if (hits.length === 0) {
        return keepUnmatched ? [{ offlineForm: 'khac' as const, wording: trimItem(clause.text) }] : [];
      }
      return hits
        .map((hit) => ({ ...hit.key, wording: fragmentAt(clause.text, hit.index) }))
        .filter(notGenericBesideNamed);
    }),
  );
}

/** "kênh mạng xã hội khác (facebook, youtube)": the networks are named, so the generic words add no channel. */
function notGenericBeside(matchers: Matchers) {
  return (mention: ChannelMention) => mention.offlineForm !== 'mang-xa-hoi' || !matchers.namedNetwork(mention.wording);
}

/** Channels named in the running prose of any part of the plan (see PROSE_CUE). */
export function channelsInProse(platforms: Platforms, lines: string[]): ChannelMention[] {
  const matchers = matchersFor(platforms);
  const notGenericBesideNamed = notGenericBeside(matchers);
  return lines.flatMap((line) => {
    const cue = PROSE_CUE.exec(line);
    if (!cue) return [];
    const from = cue.index;
    return splitClauses(line)
      .filter((clause) => clause.end > from)
      .flatMap((clause) => {
        const offset = Math.max(0, from - clause.start);
        return matchers.all
          .hits(clause.text.slice(offset))
          .filter((hit) => countsInProse(hit.key))
          .map((hit) => ({ ...hit.key, wording: fragmentAt(clause.text, offset + hit.index) }))
          .filter(notGenericBesideNamed);
      });
  });
}

/** Loa platforms a sentence names, e.g. an activity "Đăng tải … trên Trang thông tin điện tử của Sở" → ['rss']. */
export function platformsNamedIn(platforms: Platforms, text: string): PlatformKey[] {
  return matchersFor(platforms)
    .all.hits(text)
    .flatMap((hit) => ('platform' in hit.key ? [hit.key.platform] : []));
}

/** Forms of communication, first mention of each kept, in the plan's order (forms part, content part, prose, then the
 * prose activities' own sentences). Unrecognised forms are kept as `khac`. */
export function parseChannels(
  platforms: Platforms,
  formLines: string[],
  contentLines: string[],
  proseLines: string[] = [],
  activityTitles: string[] = [],
): ChannelMention[] {
  const matchers = matchersFor(platforms);
  const notGenericBesideNamed = notGenericBeside(matchers);
  const mentions = [
    ...mentionsIn(formLines, matchers.all, true, notGenericBesideNamed),
    ...mentionsIn(contentLines, matchers.content, false, notGenericBesideNamed),
    ...channelsInProse(platforms, proseLines),
    // An activity read from prose is itself a form of communication: every form its sentence names counts.
    ...mentionsIn(activityTitles, matchers.all, false, notGenericBesideNamed),
  ];
  const seen = new Set<string>();
  return mentions.filter((mention) => {
    const key = dedupKey(mention);
    if (key === null) return true;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
