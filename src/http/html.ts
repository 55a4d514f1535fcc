import sanitizeHtml from 'sanitize-html';

import { forDisplay } from '../domain/text';

/** Officer text into HTML text or an attribute: every markup character escaped, bidi controls and control characters removed. */
export function escapeHtml(text: string): string {
  return forDisplay(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * What a channel rendered, as it may appear in a page or a feed. Templates are edited by officers and a radio
 * script is plain text, so nothing rendered is trusted as markup: only a few harmless elements survive, links and
 * images only over http(s), and any other tag is shown as text (escaped), never run.
 */
export function safeContentHtml(content: string): string {
  return sanitizeHtml(forDisplay(content), {
    allowedTags: [
      'p',
      'br',
      'em',
      'strong',
      'b',
      'i',
      'u',
      'ul',
      'ol',
      'li',
      'blockquote',
      'h2',
      'h3',
      'h4',
      'a',
      'img',
    ],
    allowedAttributes: { a: ['href', 'title'], img: ['src', 'alt', 'title'] },
    allowedSchemes: ['http', 'https'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'escape',
  });
}
