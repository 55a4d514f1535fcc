import fs from 'node:fs';
import path from 'node:path';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import { addItemsAs, approveAs, editItemAs, itemFor, rejectAs, withdrawAs } from '../../actions/items';
import { queueAs, retryAs } from '../../actions/publications';
import { atLeast, sameName, unitScope } from '../../domain/access';
import type { ChannelAccount, Platform, Unit } from '../../domain/channel';
import type { ContentItem } from '../../domain/content-item';
import { contentItemInput, parseInput, PRIORITIES } from '../../domain/content-item';
import { ValidationError } from '../../domain/errors';
import { CONTENT_AREAS } from '../../domain/plan';
import { STATE_LABELS } from '../../domain/publication';
import { checkPublishInstant, formatLongLocal, parseLocal } from '../../domain/time';
import { listChannels } from '../../store/channels';
import {
  countItems,
  countWaiting,
  ITEM_STANDINGS,
  type ItemStanding,
  pageItems,
  pageWaiting,
} from '../../store/desk-lists';
import { listPlans } from '../../store/plans';
import { listPublications } from '../../store/publications';
import { getUnit, listUnits } from '../../store/units';
import type { HttpDeps } from '../deps';
import { choice, field, many, optionalId, pageNumber, positiveId, text, tick } from '../forms';
import { DraftAudio } from '../pages/draft-audio';
import { keptRead } from '../pages/kept-reads';
import { mistakeOf } from '../pages/mistake';
import { pageHref, pagingOf } from '../pages/paging';
import { PreviewCache, type PreviewLookup } from '../pages/preview-cache';
import { previewsFor, type PreviewView } from '../pages/previews';
import { pageFrame, renderView, sendPage } from '../pages/render';

/**
 * The writing form (new item, edit, live preview). The domain checks each field's own rules and the form comes back
 * with what was typed (contentItemInput); the bounds here are the door's, above the domain's.
 */
const itemForm = z.object({
  plan: text('Kế hoạch', 40),
  /** Only for a person with no unit of their own (a province admin): the unit the item belongs to. */
  unit: text('Đơn vị', 100),
  area: text('Lĩnh vực', 100),
  title: text('Tiêu đề', 2000),
  body: text('Nội dung', 100_000),
  link: text('Liên kết', 8192),
  image: text('Ảnh', 8192),
  priority: text('Mức ưu tiên', 40),
  channels: many('Đăng lên các kênh', 100, 100),
  at: text('Giờ đăng', 40),
  /** Which button was pressed: preview, or save (the default of a form sent by Enter). */
  action: choice('Việc', ['xem-truoc', 'luu']),
});
/** The form as shown: what was posted, or a starting value (no channel ticked yet). */
type ItemForm = Partial<z.infer<typeof itemForm>>;

const itemParams = z.object({ id: positiveId('Số bài') });
/** The approval queue's address: a page, and what was just done (only a number and one of two words). */
const approvalsQuery = z.object({
  xong: optionalId('Bài vừa xử lý'),
  viec: choice('Việc', ['duyet', 'tra-lai']),
  trang: pageNumber,
});
const decisionForm = z.object({
  action: choice('Việc', ['duyet', 'tra-lai']),
  reason: text('Lý do trả lại', 8000),
  requeue: tick('Cho đăng ngay các lượt đã hết hạn'),
});

/** Cards on one page of the approval queue: each carries its previews, so a page stays light on a phone. */
const APPROVALS_PER_PAGE = 10;

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

/** The button that sends a publication again, by its state; no button for the others. */
const RETRY_LABELS: Partial<Record<string, string>> = {
  failed: 'Đăng lại',
  expired: 'Đăng lại',
  unconfirmed: 'Đã kiểm tra, bài chưa lên: đăng lại',
};

const areaName = (key: string) => CONTENT_AREAS[key as keyof typeof CONTENT_AREAS] ?? key;
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
export async function deskItemRoutes(
  app: FastifyInstance,
  { db, config, adapters }: Pick<HttpDeps, 'db' | 'config' | 'adapters'>,
): Promise<void> {
  const desk = app.withTypeProvider<ZodTypeProvider>();
  const audio = new DraftAudio(path.join(config.exportDir, '.nghe-thu'), adapters);
  // The approval queue's cards are viewed again and again unchanged; drafts being typed are not kept.
  const approvalPreviews = new PreviewCache(config.templatesDir);

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

  async function previews(
    item: ContentItem,
    at: Date,
    only?: readonly Platform[],
    /** The unit and channels when the caller has them already (a page of cards reads them once). */
    known?: { unit: Unit; channels: ChannelAccount[] },
    cache?: PreviewLookup,
  ) {
    const [unit, channels] = known
      ? [known.unit, known.channels]
      : await Promise.all([getUnit(db.kysely, item.unitId), listChannels(db.kysely)]);
    return previewsFor(
      adapters,
      item,
      unit,
      areaName(item.areaKey),
      channels,
      at,
      (text, channel) => audio.offer(text, channel),
      only,
      cache,
    );
  }

  /** The item as typed so far, not stored: what the previews are rendered from. */
  function draftOf(
    req: FastifyRequest,
    form: ItemForm,
  ): { draft: ContentItem; at: Date | null; input: ReturnType<typeof parseItemForm> } {
    const actor = req.actor!;
    const unit = actor.unitId ?? form.unit ?? '';
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
        heading: 'Viết bài',
        formAction: '/desk/bai-viet/moi',
        form: { ...form, channels: form.channels ?? [] },
        choices: await choices(req),
        previews: [],
        warnings: [],
        error: '',
        ...extra,
      },
      status,
    );
  }

  const standings = Object.keys(ITEM_STANDINGS) as [ItemStanding, ...ItemStanding[]];
  const itemsQuery = z.object({
    loc: choice('Nhóm bài', standings),
    trang: pageNumber,
    luu: optionalId('Bài vừa lưu'),
    gui: optionalId('Bài vừa gửi duyệt'),
  });
  desk.get('/desk/bai-viet', { schema: { querystring: itemsQuery } }, async (req, res) => {
    const q = req.query;
    const standing = q.loc;
    const scope = unitScope(req.actor!);
    const href = pageHref('/desk/bai-viet', { loc: standing });
    // Read once per unit, tab, page and version of the data (keptRead).
    const { paging, rows } = await keptRead(db, `items ${scope ?? ''} ${standing ?? ''} ${q.trang ?? 1}`, async () => {
      const paging = pagingOf(await countItems(db.kysely, { unitId: scope, standing }), q.trang, href);
      const items = await pageItems(db.kysely, { unitId: scope, standing }, paging);
      const rows = items.map((i) => ({
        id: i.id,
        title: i.title,
        author: i.author,
        area: areaName(i.areaKey),
        status: itemStatus(i),
        returned: Boolean(i.rejection && !i.withdrawal),
        withdrawn: Boolean(i.withdrawal),
        updated: formatLongLocal(i.updatedAt),
      }));
      return { paging, rows };
    });
    const tabs = [
      { key: '', name: 'Tất cả', href: '/desk/bai-viet', current: standing === undefined },
      ...Object.entries(ITEM_STANDINGS).map(([key, name]) => ({
        key,
        name,
        href: `/desk/bai-viet?loc=${key}`,
        current: key === standing,
      })),
    ];
    return sendPage(res, 'items', {
      ...(await pageFrame(db, req)),
      page: 'bai-viet',
      title: standing ? `Bài viết · ${ITEM_STANDINGS[standing]}` : 'Bài viết',
      rows,
      paging,
      tabs,
      saved: q.luu ?? null,
      resent: q.gui ?? null,
    });
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
          returned: Boolean(item.rejection && !item.withdrawal),
          withdrawal: item.withdrawal
            ? { by: item.withdrawal.by, reason: item.withdrawal.reason, at: formatLongLocal(item.withdrawal.at) }
            : null,
        },
        publications: publications.map((p) => ({
          id: p.id,
          state: p.state,
          stateLabel: STATE_LABELS[p.state],
          channelId: p.channelId,
          when: formatLongLocal(p.scheduledAt),
          reason: p.reason ?? '',
          link: p.state === 'published' ? webLink(p.externalUrl) : '',
          // Sent again only by a person: a failed or expired one, or an unconfirmed one they checked is not out.
          retry: item.withdrawal ? '' : (RETRY_LABELS[p.state] ?? ''),
        })),
        canEdit: !item.withdrawal && atLeast(req.actor!, 'officer'),
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

  desk.get('/desk/bai-viet/:id', { schema: { params: itemParams } }, async (req, res) => {
    const id = req.params.id;
    try {
      return await showItem(req, res, id);
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return notFound(req, res, message);
    }
  });

  const withdrawForm = z.object({ reason: text('Lý do rút bài', 8000) });
  desk.post('/desk/bai-viet/:id/rut', { schema: { params: itemParams, body: withdrawForm } }, async (req, res) => {
    const id = req.params.id;
    try {
      const result = await withdrawAs(db.kysely, req.actor!, adapters, id, req.body.reason ?? '').catch(
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

  /** The writing form for an item already stored: what it says now, saved by the same action as `loa items edit`. */
  async function showEditForm(
    req: FastifyRequest,
    res: FastifyReply,
    item: ContentItem,
    form: ItemForm,
    extra: Record<string, unknown> = {},
    status = 200,
  ) {
    return showForm(
      req,
      res,
      form,
      {
        title: `Sửa bài số ${item.id}`,
        heading: `Sửa bài số ${item.id}`,
        formAction: `/desk/bai-viet/${item.id}/sua`,
        editing: {
          id: item.id,
          returned: item.rejection ? item.rejection.reason : '',
          approved: item.approvedBy ?? '',
        },
        ...extra,
      },
      status,
    );
  }

  desk.get('/desk/bai-viet/:id/sua', { schema: { params: itemParams } }, async (req, res) => {
    const id = req.params.id;
    try {
      const item = await itemFor(db.kysely, req.actor!, id);
      if (item.withdrawal) return showItem(req, res, id, { error: 'Bài đã rút thì không sửa được nữa.' }, 409);
      return await showEditForm(req, res, item, {
        plan: String(item.planId),
        unit: item.unitId,
        area: item.areaKey,
        title: item.title,
        body: item.body,
        link: item.link ?? '',
        image: item.image ?? '',
        priority: item.priority,
      });
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return notFound(req, res, message);
    }
  });

  /**
   * Saving an edit sends the item back for approval (editing withdraws an approval and clears a return: a
   * supervisor approves what goes out), and queues it on more channels if some are chosen.
   */
  desk.post('/desk/bai-viet/:id/sua', { schema: { params: itemParams, body: itemForm } }, async (req, res) => {
    const id = req.params.id;
    const form = req.body;
    let item: ContentItem;
    try {
      item = await itemFor(db.kysely, req.actor!, id);
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return notFound(req, res, message);
    }
    try {
      const { draft, at, input } = draftOf(req, { ...form, unit: form.unit ?? item.unitId });
      if (form.action === 'xem-truoc') {
        const views = await previews({ ...draft, id }, at ?? new Date());
        return showEditForm(req, res, item, form, { previews: views, warnings: warningsOf(views) });
      }
      const channelIds = form.channels;
      if (channelIds.length > 0 && !at) throw new ValidationError('at', 'chọn giờ đăng cho các kênh đã chọn');
      if (channelIds.length > 0 && at) checkPublishInstant(at, 'at', new Date());
      await editItemAs(db.kysely, req.actor!, id, input);
      if (channelIds.length > 0 && at)
        await queueAs(db.kysely, req.actor!, adapters, { itemIds: [id], channelIds, start: at, spacingMs: 0 });
      return res.redirect(`/desk/bai-viet?gui=${id}`, 303);
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return showEditForm(req, res, item, form, { error: message }, 400);
    }
  });

  /** Sends one publication of the item again (the same action as `loa retry` and the API's retry). */
  const retryForm = z.object({ publication: text('Lượt đăng', 200) });
  desk.post('/desk/bai-viet/:id/dang-lai', { schema: { params: itemParams, body: retryForm } }, async (req, res) => {
    const id = req.params.id;
    try {
      const publicationId = req.body.publication ?? '';
      const own = await listPublications(db.kysely, { itemId: id });
      if (!own.some((p) => p.id === publicationId))
        throw new ValidationError('Lượt đăng', `bài số ${id} không có lượt đăng "${publicationId}"`);
      await retryAs(db.kysely, req.actor!, publicationId);
      return await showItem(req, res, id, {
        done: `Đã xếp lại lượt ${publicationId}; tiến trình đăng bài sẽ đăng khi đến lượt.`,
      });
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return showItem(req, res, id, { error: message }, error instanceof ValidationError ? 400 : 409).catch(
        async (again: unknown) => {
          const notSeen = mistakeOf(again);
          if (notSeen === null) throw again;
          return notFound(req, res, notSeen);
        },
      );
    }
  });

  // The writing page's own script (a served file: the CSP runs no inline script), and the endpoint it calls as the
  // officer types. Without the script the "Xem trước" button posts the whole form and gets the same previews.
  app.get('/desk/static/xem-truoc.js', async (_req, res) =>
    res
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(LIVE_PREVIEW_SCRIPT),
  );
  desk.post('/desk/bai-viet/xem-truoc', { schema: { body: itemForm } }, async (req, res) => {
    try {
      const { draft, at } = draftOf(req, req.body);
      const views = await previews(draft, at ?? new Date());
      const previewsHtml = renderView('previews', { previews: views });
      const warningsHtml = renderView('warnings', { warnings: warningsOf(views) });
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

  const listeningParams = z.object({ file: field('Bản nghe thử', z.string().max(200)) });
  desk.get('/desk/nghe-thu/:file', { schema: { params: listeningParams } }, async (req, res) => {
    const file = await audio.file(req.params.file, req.actor!);
    if (!file)
      return res
        .code(404)
        .type('text/plain; charset=utf-8')
        .send('Không có bản nghe thử này (hãy bấm Xem trước lại; trang nói khi kênh chưa nghe thử được).');
    return res.type('audio/wav').header('cache-control', 'private, max-age=86400').send(fs.createReadStream(file));
  });

  desk.post('/desk/bai-viet/moi', { schema: { body: itemForm } }, async (req, res) => {
    const form = req.body;
    const actor = req.actor!;
    try {
      const { draft, at, input } = draftOf(req, form);
      if (form.action === 'xem-truoc') {
        const views = await previews(draft, at ?? new Date());
        return showForm(req, res, form, { previews: views, warnings: warningsOf(views) });
      }
      const channelIds = form.channels;
      if (channelIds.length > 0 && !at) throw new ValidationError('at', 'chọn giờ đăng cho các kênh đã chọn');
      // The time is checked before the item is stored, by the rule queueAs applies: a past time stores nothing.
      if (channelIds.length > 0 && at) checkPublishInstant(at, 'at', new Date());
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

  /**
   * The approval queue, a page at a time: the item due soonest first, each card saying when and where it goes out
   * (its publications, with the ones already past or expired marked) and showing only its chosen channels' previews.
   * An officer sees the queue without the buttons the server would refuse them.
   */
  async function showApprovals(
    req: FastifyRequest,
    res: FastifyReply,
    extra: { done?: string; error?: string } = {},
    status = 200,
  ) {
    const actor = req.actor!;
    const scope = unitScope(actor);
    const asked = (req.query ?? {}) as { trang?: string };
    const now = new Date();
    // The cards say nothing of who asks but the unit: read and rendered once per unit, page, minute (which item is
    // due next), template files (an admin's edit on disk is no database write) and version of the data (keptRead);
    // whose own item a card is, and which slots are past, are worked out for each request.
    const minute = Math.floor(now.getTime() / 60_000);
    const templates = approvalPreviews.templatesVersion();
    const key = `approvals ${scope ?? ''} ${asked.trang ?? 1} ${minute} ${templates}`;
    const { paging, cards } = await keptRead(db, key, async () => {
      const paging = pagingOf(
        await countWaiting(db.kysely, scope),
        asked.trang,
        pageHref('/desk/duyet', {}),
        APPROVALS_PER_PAGE,
      );
      const waiting = await pageWaiting(db.kysely, scope, paging, now);
      // The page's channels, units and publications in three queries, not three per card.
      const [channelList, unitList, allPublications] = await Promise.all([
        listChannels(db.kysely),
        listUnits(db.kysely),
        listPublications(db.kysely, { itemIds: waiting.map((item) => item.id) }),
      ]);
      const channels = new Map(channelList.map((c) => [c.id, c]));
      const units = new Map(unitList.map((u) => [u.id, u]));
      const kept = approvalPreviews.forPage();
      const cards = [];
      for (const item of waiting) {
        const publications = allPublications.filter(
          (p) => p.itemId === item.id && !['cancelled', 'withdrawn'].includes(p.state),
        );
        const platforms = [
          ...new Set(publications.map((p) => channels.get(p.channelId)?.platform).filter((p) => p !== undefined)),
        ];
        cards.push({
          id: item.id,
          title: item.title,
          author: item.author,
          area: areaName(item.areaKey),
          edited: item.editedBy ?? '',
          nextDue: item.nextDue ? formatLongLocal(item.nextDue) : '',
          publications: publications.map((p) => {
            const channel = channels.get(p.channelId);
            return {
              when: formatLongLocal(p.scheduledAt),
              at: p.scheduledAt.getTime(),
              channel: channel ? `${channel.name} (${PLATFORMS.label(channel.platform)})` : p.channelId,
              stateLabel: STATE_LABELS[p.state],
              state: p.state,
            };
          }),
          hasExpired: publications.some((p) => p.state === 'expired'),
          previewsHtml: platforms.length
            ? renderView('previews', {
                previews: await previews(
                  item,
                  item.nextDue ?? now,
                  platforms,
                  units.has(item.unitId) ? { unit: units.get(item.unitId)!, channels: channelList } : undefined,
                  kept,
                ),
              })
            : '',
        });
      }
      return { paging, cards };
    });
    const rows = cards.map((card) => {
      const own = sameName(card.author, actor.name);
      return {
        ...card,
        own,
        canDecide: atLeast(actor, 'supervisor') && !own,
        publications: card.publications.map((p) => ({
          ...p,
          past: p.state === 'expired' || (['scheduled', 'queued'].includes(p.state) && p.at <= now.getTime()),
        })),
      };
    });
    return sendPage(
      res,
      'approvals',
      {
        ...(await pageFrame(db, req)),
        page: 'duyet',
        title: 'Duyệt bài',
        rows,
        paging,
        canApprove: atLeast(actor, 'supervisor'),
        done: extra.done ?? '',
        error: extra.error ?? '',
      },
      status,
    );
  }

  desk.get('/desk/duyet', { schema: { querystring: approvalsQuery } }, async (req, res) => {
    const id = req.query.xong;
    // Only a number and one of two words come from the address: a link cannot put its own sentence on this page.
    const done = id ? `${req.query.viec === 'tra-lai' ? 'Đã trả lại' : 'Đã duyệt'} bài số ${id}.` : '';
    return showApprovals(req, res, { done });
  });

  desk.post(
    '/desk/duyet/:id',
    { schema: { params: itemParams, querystring: z.object({ trang: pageNumber }), body: decisionForm } },
    async (req, res) => {
      const id = req.params.id;
      const returning = req.body.action === 'tra-lai';
      // A supervisor deciding on page 2 of the queue comes back to page 2 (a number only comes from the address).
      const page = Number(req.query.trang);
      const back = Number.isSafeInteger(page) && page > 1 ? `&trang=${page}` : '';
      try {
        await itemFor(db.kysely, req.actor!, id);
        if (returning)
          await rejectAs(db.kysely, req.actor!, id, req.body.reason ?? '').catch((error: unknown) => {
            // The shared action names the API's field; on the page it is the form's label.
            throw error instanceof ValidationError && error.field === 'reason'
              ? new ValidationError('Lý do trả lại', error.reason)
              : error;
          });
        else await approveAs(db.kysely, req.actor!, id, { requeue: req.body.requeue === 'co' });
        return res.redirect(`/desk/duyet?xong=${id}&viec=${returning ? 'tra-lai' : 'duyet'}${back}`, 303);
      } catch (error) {
        const message = mistakeOf(error);
        if (message === null) throw error;
        return showApprovals(
          req,
          res,
          { error: `Bài số ${id}: ${message}` },
          error instanceof ValidationError ? 400 : 403,
        );
      }
    },
  );
}
