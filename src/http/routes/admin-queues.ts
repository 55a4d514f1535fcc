import fs from 'node:fs';
import path from 'node:path';

import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';

import { PLATFORMS } from '../../../channels';
import type { PublishQueues } from '../../queue/queues';
import { compressFilesOnce } from '../compressed-files';
import boardVietnamese from '../pages/bull-board-vi.json';
import { sendPage } from '../pages/render';

export const QUEUES_PATH = '/admin/queues';

/**
 * The board speaks Vietnamese, from our own translation (src/http/pages/bull-board-vi.json). Its bundle only takes a
 * language from the list it ships (any other code, vi-VN included, becomes en-US), so the Vietnamese file is served
 * in the place of a shipped one: en-GB, picked because the default and fallback en-US stays English, so a key a
 * future bull-board adds shows in English rather than as its raw name, and en-US in the board's settings still
 * shows English to whoever wants it. The board asks for `<base>/static/locales/<code>/messages.json`.
 */
export const BOARD_LANGUAGE = 'en-GB';
const BOARD_MESSAGES_PATH = `${QUEUES_PATH}/static/locales/${BOARD_LANGUAGE}/messages.json`;
const BOARD_MESSAGES = JSON.stringify(boardVietnamese);
const BUTTON_NAMES_PATH = `${QUEUES_PATH}/loa/ten-nut.js`;
const BUTTON_NAMES = fs.readFileSync(path.join(__dirname, '../pages/static/ten-nut-hang-doi.js'));

/**
 * The board's own page is a React app served as files: its scripts come from this site ('self'), its configuration
 * sits in a JSON script block (data, never run), but its markup carries style attributes and a <style> element, so
 * this route alone allows inline styles. Scripts stay 'self' only; the board's <base href> needs base-uri 'self'.
 */
const BOARD_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'self'";

/**
 * bull-board at /admin/queues, for admins only, behind the desk's session (the same cookie and roles as every
 * page). Read-only: the board's buttons send requests without the session's CSRF token, and a job retried or
 * removed there would move work behind the database's back; a person retries a publication from Loa (the health
 * page, `loa retry`), where the fenced publish protocol keeps a post from going out twice.
 */
export async function adminQueueRoutes(app: FastifyInstance, options: { queues: PublishQueues }): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(QUEUES_PATH);
  createBullBoard({
    queues: PLATFORMS.names.map(
      (platform) => new BullMQAdapter(options.queues.queue(platform), { readOnlyMode: true }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Hàng đợi Loa', locale: { lng: BOARD_LANGUAGE } } },
  });

  app.addHook('onRequest', async (req, res) => {
    if (!req.actor) return res.redirect(`/desk/dang-nhap?tiep=${encodeURIComponent('/desk/suc-khoe')}`, 303);
    if (req.actor.role !== 'admin') {
      return sendPage(
        res,
        'message',
        {
          page: '',
          title: 'Không được phép',
          message: 'Chỉ quản trị viên xem được bảng hàng đợi (BullMQ).',
          who: null,
          csrf: '',
        },
        403,
      );
    }
  });
  app.addHook('onSend', async (_req, res, payload) => {
    res
      .header('content-security-policy', BOARD_POLICY)
      .header('x-frame-options', 'DENY')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'same-origin');
    return payload;
  });
  // The board's page says it is in English (lang="en", and "Loading" while its script starts) while it shows our
  // Vietnamese; and its icon-only buttons have no name: our script (a file: the CSP runs no inline script) names them.
  app.addHook('onSend', async (_req, res, payload) =>
    typeof payload === 'string' && String(res.getHeader('content-type')).startsWith('text/html')
      ? payload
          .replace('<html lang="en"', '<html lang="vi"')
          .replace(/>(\s*)Loading(\s*)</, '>$1Đang tải…$2<')
          .replace('</body>', `<script defer src="${BUTTON_NAMES_PATH}"></script></body>`)
      : payload,
  );
  // The overview's scripts and styles come to 673 KB; compressed, 211 KB (brotli) or 221 KB (gzip).
  app.addHook('onSend', compressFilesOnce());
  // Inside this plugin, so behind the same admin check; a fixed path outranks the board's /static/* file handler.
  app.get(BUTTON_NAMES_PATH, { schema: { hide: true } }, async (_req, res) =>
    res.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(BUTTON_NAMES),
  );
  app.get(BOARD_MESSAGES_PATH, { schema: { hide: true } }, async (_req, res) =>
    res
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(BOARD_MESSAGES),
  );
  await app.register(serverAdapter.registerPlugin() as never, { prefix: QUEUES_PATH });
}
