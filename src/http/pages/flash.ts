import { createHmac, timingSafeEqual } from 'node:crypto';

import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

import { text } from '../forms';

/**
 * What happened after a form's POST, carried in the address of the page it redirects to (so a reload repeats
 * nothing). The message is signed with the session's own secret: a crafted link (`?loi=Gọi số …`) shows nothing,
 * nor does a message made for another person's session.
 */
type Kind = 'xong' | 'loi';

function signature(req: FastifyRequest, kind: Kind, message: string): string | null {
  if (!req.sessionCsrf) return null;
  return createHmac('sha256', req.sessionCsrf).update(`${kind}\n${message}`).digest('base64url').slice(0, 22);
}

/** The query string that carries a message to the next page: `xong=…&ky=…` or `loi=…&ky=…`. */
export function flashQuery(req: FastifyRequest, kind: Kind, message: string): string {
  const signed = signature(req, kind, message);
  return `${kind}=${encodeURIComponent(message)}${signed ? `&ky=${signed}` : ''}`;
}

/** The address of a page that shows a message: the message (done, or what was wrong) and its signature. */
export const flashFields = { xong: text('Thông báo', 8000), loi: text('Lỗi', 8000), ky: text('Chữ ký thông báo', 100) };
export const flashQuerystring = z.object(flashFields);

/** The message of this page's address if this session signed it, else nothing. */
export function readFlash(req: FastifyRequest): { done: string; error: string } {
  const q = (req.query ?? {}) as { xong?: unknown; loi?: unknown; ky?: unknown };
  const genuine = (kind: Kind, message: unknown): string => {
    if (typeof message !== 'string' || typeof q.ky !== 'string') return '';
    const expected = signature(req, kind, message);
    if (!expected || expected.length !== q.ky.length) return '';
    return timingSafeEqual(Buffer.from(expected), Buffer.from(q.ky)) ? message : '';
  };
  return { done: genuine('xong', q.xong), error: genuine('loi', q.loi) };
}
