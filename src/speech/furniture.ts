import { rule } from './rule';
import type { Rule } from './segments';

/**
 * Page furniture that is seen, never said: table cells ("Số: 115/KH-UBND | Hà Nội"), guillemets around a name, arrows
 * and pointers of a menu or a breadcrumb, either way ("← Quay lại"). A cell edge or an arrow becomes a pause;
 * guillemets go.
 */
const PAUSE = rule(
  'furniture-pause',
  String.raw`\s*(?:\||→|⇒|➔|➜|➤|⟶|►|▶|▸|←|⇐|⟵|◄|◀|◂|»\s*»|«\s*«)\s*`,
  (m) => ({
    // At either end of a line the cell edge is nothing to pause for.
    text: m.index === 0 || m.index + m[0].length === m.input.length ? '' : ', ',
    kind: 'words',
  }),
  { needs: /[|→⇒➔➜➤⟶►▶▸←⇐⟵◄◀◂»«]/u },
);
const BREADCRUMB = rule(
  'furniture-breadcrumb',
  String.raw`(?<=\S)\s+[»›]\s+(?=\S)`,
  () => ({ text: ', ', kind: 'words' }),
  { needs: /[»›]/u },
);
const QUOTE = rule('furniture-quote', String.raw`[«‹]\s*|\s*[»›]`, () => ({ text: '', kind: 'words' }), {
  needs: /[«‹»›]/u,
});

/** "(sau đây gọi tắt là Kế hoạch)", "(sau đây viết tắt là CCHC)": a note for readers of the page, not for listeners. */
const SHORT_NAME_NOTE = rule(
  'furniture-short-name',
  String.raw`\s*\(\s*sau đây(?: được)? (?:gọi|viết) tắt là[^()]{0,80}\)`,
  () => ({ text: '', kind: 'words' }),
  { ignoreCase: true, needs: /sau đây/iu },
);

/** "(GLO)- Chiều 13-3, …", "(Chinhphu.vn) - …", "HNP - Phó Chủ tịch …": the newspaper's tag before a news item, not
 * part of what is read. Without brackets the tag stands alone in capitals between the start and a spaced dash. */
const NEWS_TAG = rule(
  'furniture-news-tag',
  String.raw`^\s*(?:\((?:\p{Lu}{2,8}|[\p{L}.]{2,20}\.(?:vn|VN|com))\)\s*[-–—]\s*|(\p{Lu}{2,8}(?:\.VN)?)\s+[-–—]\s+(?=\p{Lu}))`,
  (m, context) => {
    // Without brackets the tag is told from a short form only by where it stands: said so, in case it is one.
    if (m[1] !== undefined)
      context.warn(`"${m[1]}" ở đầu tin được coi là tên tờ báo đưa tin nên không đọc; nếu cần đọc, hãy sửa lại`);
    return { text: '', kind: 'words' };
  },
);

export const FURNITURE_RULES: Rule[] = [NEWS_TAG, PAUSE, BREADCRUMB, QUOTE, SHORT_NAME_NOTE];
