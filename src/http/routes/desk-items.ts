import fs from 'node:fs';
import path from 'node:path';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';

import type { Adapters } from '../../../channels';
import { addItemsAs, approveAs, itemFor, listItemsFor, rejectAs, withdrawAs } from '../../actions/items';
import { queueAs } from '../../actions/publications';
import type { Config } from '../../config';
import { sameName, unitScope } from '../../domain/access';
import type { ContentItem } from '../../domain/content-item';
import { contentItemInput, parseInput, PRIORITIES } from '../../domain/content-item';
import { ValidationError } from '../../domain/errors';
import { CONTENT_AREAS } from '../../domain/plan';
import { STATE_LABELS } from '../../domain/publication';
import { formatLongLocal, LOCAL_ZONE, parseLocal } from '../../domain/time';
import type { Db } from '../../store';
import { listChannels } from '../../store/channels';
import { listPlans } from '../../store/plans';
import { listPublications } from '../../store/publications';
import { getUnit, listUnits } from '../../store/units';
import { DraftAudio } from '../pages/draft-audio';
import { mistakeOf } from '../pages/mistake';
import { previewsFor, type PreviewView } from '../pages/previews';
import { pageFrame, renderView, sendPage } from '../pages/render';

interface ItemForm {
  plan?: string;
  /** Only for a person with no unit of their own (a province admin): the unit the item belongs to. */
  unit?: string;
  area?: string;
  title?: string;
  body?: string;
  link?: string;
  image?: string;
  priority?: string;
  channels?: string | string[];
  at?: string;
  action?: string;
}

const LIVE_PREVIEW_SCRIPT = fs.readFileSync(path.join(__dirname, '../pages/static/xem-truoc.js'));

function parseItemForm(form: ItemForm, unit: string) {
  return parseInput(contentItemInput, {
    plan: form.plan,
    area: form.area,
    unit,
    title: form.title,
    body: form.body,
    link: form.link,
    image: form.image,
    priority: form.priority || undefined,
  });
}

const areaName = (key: string) => CONTENT_AREAS[key as keyof typeof CONTENT_AREAS] ?? key;
const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
/** Only links Loa recorded from a platform, and only web ones: never a javascript: URL typed by someone. */
const webLink = (url: string | null | undefined) => (url && /^https?:\/\//i.test(url) ? url : '');

function itemStatus(i: ContentItem): string {
  if (i.withdrawal) return `đã rút (${i.withdrawal.by}: ${i.withdrawal.reason})`;
  return i.approvedAt ? `đã duyệt (${i.approvedBy})` : i.rejection ? `bị trả lại: ${i.rejection.reason}` : 'chờ duyệt';
}

/**
 * Writing items with a live preview per channel, and the supervisors' approvals. Everything goes through the same
 * actions as the CLI and the API (roles, units, four-eyes, audit); the pages only gather and show.
 */
export function deskItemRoutes(app: FastifyInstance, db: Db, config: Config, adapters: Adapters): void {
  const audio = new DraftAudio(path.join(config.exportDir, '.nghe-thu'), adapters);

  async function choices(req: FastifyRequest) {
    const scope = unitScope(req.actor!);
    const [plans, channels, units] = await Promise.all([
      listPlans(db.kysely),
      listChannels(db.kysely),
      req.actor!.unitId ? [] : listUnits(db.kysely),
    ]);
    return {
      units: units.map((u) => ({ id: u.id, name: u.name })),
      plans: plans.map((p) => ({ id: String(p.id), name: `${p.code ?? 'không số'} · ${p.title}` })),
      areas: Object.entries(CONTENT_AREAS).map(([key, name]) => ({ key, name })),
      priorities: Object.entries(PRIORITIES).map(([key, name]) => ({ key, name })),
      channels: channels
        .filter((c) => scope === undefined || c.unitId === scope)
        .map((c) => ({ id: c.id, name: c.name })),
    };
  }

  async function previews(item: ContentItem, at: Date) {
    const [unit, channels] = await Promise.all([getUnit(db.kysely, item.unitId), listChannels(db.kysely)]);
    return previewsFor(adapters, item, unit, areaName(item.areaKey), channels, at, (text, channel) =>
      audio.offer(text, channel),
    );
  }

  /** The item as typed so far, not stored: what the previews are rendered from. */
  function draftOf(
    req: FastifyRequest,
    form: ItemForm,
  ): { draft: ContentItem; at: Date | null; input: ReturnType<typeof parseItemForm> } {
    const actor = req.actor!;
    const unit = actor.unitId ?? String(form.unit ?? '');
    const input = parseItemForm(form, unit);
    const at = form.at?.trim() ? parseLocal(form.at, 'at') : null;
    const draft: ContentItem = {
      id: 0,
      planId: input.plan,
      areaKey: input.area,
      unitId: unit,
      title: input.title,
      body: input.body,
      link: input.link,
      image: input.image,
      priority: input.priority,
      author: actor.name,
      approvedBy: null,
      approvedAt: null,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    return { draft, at, input };
  }

  /** What the channels warn about, gathered beside the text (the radio normaliser's numbers, words it spelled out…). */
  function warningsOf(views: PreviewView[]) {
    return views.flatMap((v) => v.warnings.map((text) => ({ label: v.label, text })));
  }

  async function showForm(
    req: FastifyRequest,
    res: FastifyReply,
    form: ItemForm,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    return sendPage(
      res,
      'item-form',
      {
        ...(await pageFrame(db, req)),
        page: 'bai-viet',
        title: 'Viết bài',
        form: { ...form, channels: list(form.channels) },
        choices: await choices(req),
        previews: [],
        warnings: [],
        error: '',
        ...extra,
      },
      status,
    );
  }

  app.get('/desk/bai-viet', async (req, res) => {
    const items = await listItemsFor(db.kysely, req.actor!);
    const rows = items
      .slice(-300)
      .reverse()
      .map((i) => ({
        id: i.id,
        title: i.title,
        author: i.author,
        area: areaName(i.areaKey),
        status: itemStatus(i),
        withdrawn: Boolean(i.withdrawal),
        updated: formatLongLocal(i.updatedAt),
      }));
    const saved = Number((req.query as { luu?: string }).luu) || null;
    return sendPage(res, 'items', { ...(await pageFrame(db, req)), page: 'bai-viet', title: 'Bài viết', rows, saved });
  });

  /** One item with its publications and the withdraw form (the same action as `loa items withdraw` and the API). */
  async function showItem(
    req: FastifyRequest,
    res: FastifyReply,
    id: number,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    const item = await itemFor(db.kysely, req.actor!, id);
    const publications = await listPublications(db.kysely, { itemId: id });
    return sendPage(
      res,
      'item',
      {
        ...(await pageFrame(db, req)),
        page: 'bai-viet',
        title: `Bài số ${item.id}`,
        item: {
          id: item.id,
          title: item.title,
          body: item.body,
          author: item.author,
          area: areaName(item.areaKey),
          status: itemStatus(item),
          withdrawal: item.withdrawal
            ? { by: item.withdrawal.by, reason: item.withdrawal.reason, at: formatLongLocal(item.withdrawal.at) }
            : null,
        },
        publications: publications.map((p) => ({
          state: p.state,
          stateLabel: STATE_LABELS[p.state],
          channelId: p.channelId,
          when: formatLongLocal(p.scheduledAt),
          reason: p.reason ?? '',
          link: p.state === 'published' ? webLink(p.externalUrl) : '',
        })),
        // Withdrawing again is harmless and takes down what was being sent the first time: offered while anything is left.
        canWithdraw:
          !item.withdrawal ||
          publications.some((p) =>
            ['scheduled', 'queued', 'publishing', 'published', 'expired', 'unconfirmed'].includes(p.state),
          ),
        done: '',
        outside: [],
        error: '',
        ...extra,
      },
      status,
    );
  }

  const notFound = async (req: FastifyRequest, res: FastifyReply, message: string) =>
    sendPage(
      res,
      'message',
      { ...(await pageFrame(db, req)), page: 'bai-viet', title: 'Không tìm thấy', message },
      404,
    );

  app.get<{ Params: { id: string } }>('/desk/bai-viet/:id', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return notFound(req, res, 'Số bài không hợp lệ.');
    try {
      return await showItem(req, res, id);
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return notFound(req, res, message);
    }
  });

  app.post<{ Params: { id: string }; Body: { reason?: string } }>('/desk/bai-viet/:id/rut', async (req, res) => {
    const id = Number(req.params.id);
    if (!Number.isSafeInteger(id) || id <= 0) return notFound(req, res, 'Số bài không hợp lệ.');
    try {
      const result = await withdrawAs(db.kysely, req.actor!, adapters, id, String(req.body?.reason ?? '')).catch(
        (error: unknown) => {
          // The shared action names the API's field; on the page it is the form's label.
          throw error instanceof ValidationError && error.field === 'reason'
            ? new ValidationError('Lý do rút bài', error.reason)
            : error;
        },
      );
      const parts = [`Đã rút bài số ${id}`];
      if (result.cancelled.length) parts.push(`hủy ${result.cancelled.length} lượt chưa đăng`);
      if (result.withdrawn.length)
        parts.push(
          `gỡ ${result.withdrawn.length} bài đã đăng khỏi các kênh của Loa (nguồn tin, trang bài, kịch bản phát thanh)`,
        );
      if (result.inFlight.length)
        parts.push(`${result.inFlight.length} lượt đang đăng dở: rút lại sau khi đăng xong để gỡ`);
      // Shown once, on this answer: the posts a person must take down by hand (outside platforms, a script Loa could not delete).
      const outside = result.removeByHand.map((l) => ({
        link: webLink(l.publication.externalUrl),
        label: `${l.publication.id}: ${l.reason}`,
      }));
      return showItem(req, res, id, { done: `${parts.join('; ')}.`, outside });
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      const status = error instanceof ValidationError ? 400 : 403;
      return showItem(req, res, id, { error: message }, status).catch(async (again: unknown) => {
        const notSeen = mistakeOf(again);
        if (notSeen === null) throw again;
        return notFound(req, res, notSeen);
      });
    }
  });

  app.get('/desk/bai-viet/moi', async (req, res) => showForm(req, res, { priority: 'thong-thuong' }));

  // The writing page's own script (a served file: the CSP runs no inline script), and the endpoint it calls as the
  // officer types. Without the script the "Xem trước" button posts the whole form and gets the same previews.
  app.get('/desk/static/xem-truoc.js', async (_req, res) =>
    res
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(LIVE_PREVIEW_SCRIPT),
  );
  app.post<{ Body: ItemForm }>('/desk/bai-viet/xem-truoc', async (req, res) => {
    try {
      const { draft, at } = draftOf(req, req.body ?? {});
      const views = await previews(draft, at ?? new Date());
      const [previewsHtml, warningsHtml] = await Promise.all([
        renderView('previews', { previews: views }),
        renderView('warnings', { warnings: warningsOf(views) }),
      ]);
      return res
        .header('cache-control', 'no-store')
        .send({ previews: previewsHtml, warnings: warningsHtml, error: null });
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      // Half-typed is normal while typing: say what is missing, keep the last previews.
      return res.header('cache-control', 'no-store').send({ previews: null, warnings: null, error: message });
    }
  });

  app.get<{ Params: { file: string } }>('/desk/nghe-thu/:file', async (req, res) => {
    const file = await audio.file(req.params.file);
    if (!file)
      return res
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('Không có bản nghe thử này (hãy bấm Xem trước lại; trang nói khi kênh chưa nghe thử được).');
    return res.type('audio/wav').header('cache-control', 'private, max-age=86400').send(fs.createReadStream(file));
  });

  app.post<{ Body: ItemForm }>('/desk/bai-viet/moi', async (req, res) => {
    const form = req.body ?? {};
    const actor = req.actor!;
    try {
      const { draft, at, input } = draftOf(req, form);
      if (form.action === 'xem-truoc') {
        const views = await previews(draft, at ?? new Date());
        return showForm(req, res, form, { previews: views, warnings: warningsOf(views) });
      }
      const channelIds = list(form.channels);
      if (channelIds.length > 0 && !at) throw new ValidationError('at', 'chọn giờ đăng cho các kênh đã chọn');
      const [item] = await addItemsAs(db.kysely, actor, [input]);
      if (channelIds.length > 0 && at)
        await queueAs(db.kysely, actor, adapters, { itemIds: [item!.id], channelIds, start: at, spacingMs: 0 });
      return res.redirect(`/desk/bai-viet?luu=${item!.id}`, 303);
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return showForm(req, res, form, { error: message }, 400);
    }
  });

  app.get('/desk/duyet', async (req, res) => {
    const actor = req.actor!;
    const waiting = (await listItemsFor(db.kysely, actor, { approved: false })).filter((i) => !i.rejection);
    const soon = DateTime.now().setZone(LOCAL_ZONE).plus({ hours: 1 }).toJSDate();
    const rows = [];
    for (const item of waiting.slice(0, 50)) {
      rows.push({
        id: item.id,
        title: item.title,
        author: item.author,
        own: sameName(item.author, actor.name),
        area: areaName(item.areaKey),
        previews: await previews(item, soon),
      });
    }
    const done = (req.query as { xong?: string }).xong ?? '';
    return sendPage(res, 'approvals', {
      ...(await pageFrame(db, req)),
      page: 'duyet',
      title: 'Duyệt bài',
      rows,
      done,
      error: (req.query as { loi?: string }).loi ?? '',
    });
  });

  app.post<{ Params: { id: string }; Body: { action?: string; reason?: string; requeue?: string } }>(
    '/desk/duyet/:id',
    async (req, res) => {
      const id = Number(req.params.id);
      try {
        await itemFor(db.kysely, req.actor!, id);
        if (req.body?.action === 'tra-lai') await rejectAs(db.kysely, req.actor!, id, String(req.body.reason ?? ''));
        else await approveAs(db.kysely, req.actor!, id, { requeue: req.body?.requeue === 'co' });
        return res.redirect(`/desk/duyet?xong=${id}`, 303);
      } catch (error) {
        const message = mistakeOf(error);
        if (message === null) throw error;
        return res.redirect(`/desk/duyet?loi=${encodeURIComponent(message)}`, 303);
      }
    },
  );
}
