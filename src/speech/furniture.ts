import { rule } from './rule';
import type { Rule } from './segments';

/**
 * Page furniture that is seen, never said: table cells ("Số: 115/KH-UBND | Hà Nội"), guillemets around a name, arrows
 * and pointers of a menu or a breadcrumb, either way ("← Quay lại"). A cell edge or an arrow becomes a pause;
 * guillemets go.
 */
const PAUSE = rule('furniture-pause', String.raw`\s*(?:\||→|⇒|➔|➜|➤|⟶|►|▶|▸|←|⇐|⟵|◄|◀|◂|»\s*»|«\s*«)\s*`, (m) => ({
  // At either end of a line the cell edge is nothing to pause for.
  text: m.index === 0 || m.index + m[0].length === m.input.length ? '' : ', ',
  kind: 'words',
}));
const BREADCRUMB = rule('furniture-breadcrumb', String.raw`(?<=\S)\s+[»›]\s+(?=\S)`, () => ({
  text: ', ',
  kind: 'words',
}));
const QUOTE = rule('furniture-quote', String.raw`[«‹]\s*|\s*[»›]`, () => ({ text: '', kind: 'words' }));

export const FURNITURE_RULES: Rule[] = [PAUSE, BREADCRUMB, QUOTE];
