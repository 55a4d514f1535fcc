import path from 'node:path';

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Liquid } from 'liquidjs';

import { ROLE_LABELS, unitScope } from '../../domain/access';
import type { Db } from '../../store';
import { countWaiting } from '../../store/desk-lists';
import { getUnit } from '../../store/units';

const VIEWS = path.join(__dirname, 'views');

/**
 * The desk's pages are Liquid views (the engine the officer templates already use), with every output escaped
 * by default: officer text can never become markup. Views are ours, not officers', so they are cached.
 */
const HTML_SPECIALS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Bidi embeddings, overrides and isolates typed into a title would reorder the rest of the page's line. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** What every `{{ … }}` in a view goes through: markup escaped, bidi controls dropped. */
export function escapeForPage(value: unknown): string {
  return String(value ?? '')
    .replace(BIDI_CONTROLS, '')
    .replace(/[&<>"']/g, (c) => HTML_SPECIALS[c]!);
}

const engine = new Liquid({
  root: VIEWS,
  extname: '.liquid',
  outputEscape: escapeForPage,
  strictFilters: true,
  ownPropertyOnly: true,
  cache: true,
});

/**
 * Pages load nothing from elsewhere and run no inline script: a stored `<script>` or `onerror=` in an officer's
 * title could not run even if it escaped the templates.
 */
export const PAGE_SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

/**
 * A view rendered on its own (a fragment the page's script puts in place), escaped like every page. Views use no
 * asynchronous tag or filter, so they are rendered synchronously: Liquid's asynchronous rendering wraps every step
 * in a promise, and in the CPU profile of the approval queue that was a third of the page's cost.
 */
export function renderView(view: string, data: Record<string, unknown>): string {
  return engine.renderFileSync(view, data) as string;
}

export async function sendPage(
  res: FastifyReply,
  view: string,
  data: Record<string, unknown>,
  status = 200,
): Promise<FastifyReply> {
  const html = renderView(view, data);
  return res.code(status).headers(PAGE_SECURITY_HEADERS).type('text/html; charset=utf-8').send(html);
}

/** What every signed-in page shows: who is at the desk, their unit and role, and the session's CSRF token for forms. */
export async function pageFrame(db: Db, req: FastifyRequest): Promise<Record<string, unknown>> {
  const actor = req.actor;
  if (!actor) return { who: null, csrf: '' };
  const [unit, waiting] = await Promise.all([
    actor.unitId ? getUnit(db.kysely, actor.unitId).catch(() => null) : null,
    // Everyone sees how many items wait for approval: a supervisor to approve them, an officer to know.
    countWaiting(db.kysely, unitScope(actor)),
  ]);
  return {
    who: {
      name: actor.name,
      role: ROLE_LABELS[actor.role],
      unit: unit?.name ?? 'toàn tỉnh',
      canApprove: actor.role !== 'officer',
      isAdmin: actor.role === 'admin',
      waiting,
    },
    csrf: req.sessionCsrf ?? '',
  };
}

/** The refusal of an admin-only page to a signed-in person of another role: a page that says why (403). */
export async function sendAdminsOnly(
  db: Db,
  req: FastifyRequest,
  res: FastifyReply,
  why: string,
): Promise<FastifyReply> {
  return sendPage(
    res,
    'message',
    { ...(await pageFrame(db, req)), page: 'quan-tri', title: 'Không được phép', message: why },
    403,
  );
}
