import path from 'node:path';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { DateTime } from 'luxon';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import { applyCalendarAs, importPlanAs, isoDay, proposedUnitsNote } from '../../actions/plans';
import { AccessError, ValidationError } from '../../domain/errors';
import { CONTENT_AREAS, OFFLINE_FORMS, type StructuredPlan, type Timing } from '../../domain/plan';
import { formatLongLocal, LOCAL_ZONE } from '../../domain/time';
import {
  calendarGaps,
  diffPlans,
  importPlanBuffer,
  type ImportReport,
  MAX_FILE_BYTES,
  planPeriodDays,
  proposeCalendar,
  REPORT_FIELDS,
} from '../../importer';
import { PAST_SLOT_CHOICES, type PastSlotChoice, pastSlotsOf, settlePastSlots } from '../../importer/past-slots';
import { getPlan, listPlans, type StoredPlan } from '../../store/plans';
import { listUnits } from '../../store/units';
import type { HttpDeps } from '../deps';
import { choice, field, pageNumber, positiveId, text } from '../forms';
import { mistakeOf } from '../pages/mistake';
import { pageHref, pagingOf } from '../pages/paging';
import { pageFrame, sendPage } from '../pages/render';

/**
 * The upload form's one field, as @fastify/multipart leaves it (see server.ts: a file arrives as { name, bytes,
 * truncated }); a form sent with no file chosen, or not as multipart, carries a string or nothing.
 */
const uploadForm = z.object({
  tep: field(
    'Tệp kế hoạch',
    z
      .union([
        z.object({ name: z.string().max(1000), bytes: z.instanceof(Buffer), truncated: z.boolean() }),
        z.string().max(1000),
      ])
      .optional(),
  ),
});

/** The period and unit a proposal is shown for (the plan page's form, in the address or posted to apply). */
const periodFields = { tu: text('Từ ngày', 40), den: text('Đến ngày', 40), donvi: text('Đơn vị', 100) };
type PeriodQuery = { tu?: string; den?: string; donvi?: string };

const planParams = z.object({ id: positiveId('Số kế hoạch') });
/** Applying a proposal: its period, the unit (an admin's choice), and what to do with the slots already past. */
const applyForm = z.object({
  ...periodFields,
  daqua: choice('Các lượt đã qua', Object.keys(PAST_SLOT_CHOICES) as [PastSlotChoice, ...PastSlotChoice[]]),
});

const EVERY: Record<string, string> = { week: 'hằng tuần', month: 'hằng tháng', quarter: 'hằng quý', year: 'hằng năm' };
/** Rows of a proposal shown on one page: a year of weekly posts on four channels stays well under the page budget. */
const SHOWN_SLOTS = 400;

/** One file of the importer's size; `throwFileSizeLimit` is read by @fastify/multipart though its types omit it. */
const UPLOAD_OPTIONS = { limits: { files: 1, fileSize: MAX_FILE_BYTES }, throwFileSizeLimit: false };

/** A plan's number as a person reads it: "/KH-UBND" (the number left blank in the document) says so. */
const codeText = (code: string | null) => (!code ? '(không số)' : code.startsWith('/') ? `(chưa ghi số)${code}` : code);
const platformName = (key: string) => PLATFORMS.label(key);
const day = (iso: string) => DateTime.fromISO(iso, { zone: LOCAL_ZONE }).toFormat('dd/LL/yyyy');

function timingText(timing: Timing | null): string {
  if (!timing) return 'không nêu thời gian';
  if (timing.kind === 'recurring') return `${EVERY[timing.every] ?? timing.every} (“${timing.wording}”)`;
  if (timing.kind === 'window') return `từ ${day(timing.from)} đến ${day(timing.to)}`;
  if (timing.kind === 'deadline') return `hạn ${day(timing.by)}`;
  return `Loa chưa hiểu: “${timing.wording}”`;
}

/** What Loa read from the plan, as lists a person checks against the document. */
function readOut(plan: StructuredPlan) {
  const unitName = new Map(plan.units.map((u) => [u.key, u.name]));
  const names = (keys: string[]) => keys.map((k) => unitName.get(k) ?? k).join(', ');
  const id = plan.identity;
  return {
    code: id.code?.text ?? '',
    issuer: id.issuer ?? '',
    issueDate: id.issueDate ? day(id.issueDate) : '',
    period: id.period ? `giai đoạn ${id.period.from}–${id.period.to}` : id.year ? `năm ${id.year}` : '',
    title: id.title ?? '',
    areas: plan.contentAreas.map((a) => ({
      name: CONTENT_AREAS[a.key] ?? a.key,
      wording: a.wording,
      details: a.details,
    })),
    channels: plan.channels.map((c) => ({
      name: c.platform
        ? platformName(c.platform)
        : c.offlineForm
          ? (OFFLINE_FORMS[c.offlineForm] ?? c.offlineForm)
          : '',
      online: Boolean(c.platform),
      wording: c.wording,
    })),
    activities: plan.activities.map((a) => ({
      label: a.label,
      title: a.title,
      timing: timingText(a.timing),
      lead: names(a.leadUnitKeys),
      partners: names(a.partnerUnitKeys),
    })),
    units: plan.units.map((u) => u.name),
    reporting: plan.reporting.map((r) => ({
      subject: r.subject,
      from: names(r.fromUnitKeys),
      to: r.toUnitKey ? (unitName.get(r.toUnitKey) ?? r.toUnitKey) : '',
      frequency: r.frequency ?? '',
      wording: r.wording,
    })),
  };
}

function reportOut(report: ImportReport) {
  return {
    emptyFields: report.emptyFields.map((f) => REPORT_FIELDS[f]),
    unplaced: report.unplaced.map((s) => (s.length > 240 ? `${s.slice(0, 237)}…` : s)),
  };
}

/**
 * The period a proposal is shown for when the officer has not chosen one: from today to the end of the plan's own
 * period while it runs (nothing already past is proposed), the plan's whole period when it is over or not begun
 * (the page then says its past dates are past), else today to the end of the month. Only a starting value.
 */
export function defaultPeriod(plan: StructuredPlan, now: Date): { from: string; to: string } {
  const today = DateTime.fromJSDate(now).setZone(LOCAL_ZONE).toISODate()!;
  const own = planPeriodDays(plan);
  if (own) return { from: own.from <= today && today <= own.to ? today : own.from, to: own.to };
  return { from: today, to: DateTime.fromJSDate(now).setZone(LOCAL_ZONE).endOf('month').toISODate()! };
}

/**
 * Plans in the desk: upload a document, see what Loa read and what it could not, see the proposed calendar for a
 * period and apply it as draft items. The import, the proposal and the apply are the same shared functions the CLI
 * (`loa import`, `loa calendar`) and the API use; these pages only gather and show.
 */
export async function deskPlanRoutes(
  app: FastifyInstance,
  { db, clock }: Pick<HttpDeps, 'db' | 'adapters' | 'clock'>,
): Promise<void> {
  const desk = app.withTypeProvider<ZodTypeProvider>();
  async function showPlan(
    req: FastifyRequest,
    res: FastifyReply,
    stored: StoredPlan,
    extra: Record<string, unknown> = {},
    status = 200,
    /** The period and unit of a form just posted (else the address's). */
    asked?: PeriodQuery,
  ) {
    const q = asked ?? ((req.query ?? {}) as PeriodQuery);
    const actor = req.actor!;
    // The desk shows the slots already gone by (on the process clock) and asks to drop or move them before saving.
    const now = clock.now();
    const fallback = defaultPeriod(stored.structure, now);
    let error = '';
    let period = fallback;
    try {
      period = { from: q.tu ? isoDay(q.tu, 'tu') : fallback.from, to: q.den ? isoDay(q.den, 'den') : fallback.to };
    } catch (e) {
      error = mistakeOf(e) ?? 'ngày không hợp lệ';
    }
    let proposal = null;
    try {
      const proposed = proposeCalendar(stored.structure, { ...period, platforms: PLATFORMS });
      const titleOf = new Map(
        proposed.items.map((i) => [i.id, { title: i.title, area: CONTENT_AREAS[i.areaKey] ?? i.areaKey }]),
      );
      const past = new Set(pastSlotsOf(proposed, now));
      proposal = {
        items: proposed.items.length,
        total: proposed.slots.length,
        // Slots already gone by: never saved as they are; the form asks whether to drop or move them.
        past: past.size,
        now: formatLongLocal(now),
        choices: Object.entries(PAST_SLOT_CHOICES).map(([key, name]) => ({ key, name })),
        slots: proposed.slots.slice(0, SHOWN_SLOTS).map((s) => ({
          past: past.has(s),
          when: formatLongLocal(DateTime.fromISO(s.at).toJSDate()),
          platform: platformName(s.platform),
          ...titleOf.get(s.itemId),
          reason: s.reason,
        })),
        gaps: proposed.items.length === 0 ? calendarGaps(stored.structure) : [],
        // Dates dropped outside the plan's period, slots moved off or dropped for public holidays.
        warnings: proposed.warnings,
      };
    } catch (e) {
      // proposeCalendar names a wrong period in a RangeError; anything else is the server's problem.
      if (!(e instanceof RangeError)) throw e;
      error = e.message;
    }
    const units = actor.unitId ? [] : (await listUnits(db.kysely)).map((u) => ({ id: u.id, name: u.name }));
    return sendPage(
      res,
      'plan',
      {
        ...(await pageFrame(db, req)),
        page: 'ke-hoach',
        title: `Kế hoạch ${codeText(stored.code)}`,
        plan: {
          id: stored.id,
          code: codeText(stored.code),
          title: stored.title,
          source: stored.sourceName,
          importedBy: stored.importedBy,
          importedAt: formatLongLocal(stored.createdAt),
        },
        read: readOut(stored.structure),
        report: null,
        changes: [],
        outcome: '',
        period: { tu: period.from, den: period.to },
        proposal,
        units,
        unit: q.donvi ?? '',
        applied: '',
        calendarMonth: period.from.slice(0, 7),
        error,
        ...extra,
      },
      status,
    );
  }

  /** The plans, newest first, a page at a time, with the upload form (and what was wrong with the last upload). */
  async function showPlans(req: FastifyRequest, res: FastifyReply, error = '', status = 200) {
    const all = await listPlans(db.kysely);
    const paging = pagingOf(
      all.length,
      (req.query as { trang?: string } | undefined)?.trang,
      pageHref('/desk/ke-hoach', {}),
    );
    const plans = all
      .reverse()
      .slice(paging.offset, paging.offset + paging.limit)
      .map((p) => ({
        id: p.id,
        code: codeText(p.code),
        title: p.title,
        issuer: p.issuer ?? '',
        year: p.year ?? '',
        importedBy: p.importedBy,
        importedAt: formatLongLocal(p.createdAt),
      }));
    return sendPage(
      res,
      'plans',
      {
        ...(await pageFrame(db, req)),
        page: 'ke-hoach',
        title: 'Kế hoạch',
        plans,
        paging,
        maxMb: Math.round(MAX_FILE_BYTES / 1024 / 1024),
        error,
      },
      status,
    );
  }

  desk.get('/desk/ke-hoach', { schema: { querystring: z.object({ trang: pageNumber }) } }, async (req, res) =>
    showPlans(req, res),
  );

  // The upload is multipart/form-data (a file input); the route's own limits allow one file of the importer's size.
  desk.post(
    '/desk/ke-hoach',
    {
      schema: { body: uploadForm },
      // A file over the limit is cut short rather than thrown, so the officer gets this page and a sentence, not JSON.
      config: { multipartOptions: UPLOAD_OPTIONS },
      // Before the body is read: nobody signed in uploads 50 MB only to be sent to the sign-in form afterwards.
      onRequest: async (req, res) => {
        if (!req.actor) return res.redirect('/desk/dang-nhap?tiep=%2Fdesk%2Fke-hoach', 303);
      },
    },
    async (req, res) => {
      const file = req.body.tep;
      const refuse = (message: string, status: number) => showPlans(req, res, message, status);
      if (!file || typeof file === 'string' || !file.name)
        return refuse('Chọn một tệp kế hoạch (.txt, .docx hoặc .pdf) rồi bấm "Tải lên và đọc".', 400);
      const name = path.basename(file.name.normalize('NFC'));
      if (file.truncated)
        return refuse(
          `Tệp "${name}" quá lớn: tối đa ${Math.round(MAX_FILE_BYTES / 1024 / 1024)} MB. Không có gì được lưu.`,
          413,
        );
      try {
        const imported = await importPlanBuffer({ buffer: file.bytes, name }, PLATFORMS);
        const outcome = await importPlanAs(db.kysely, req.actor!, {
          plan: imported.plan,
          sourceName: name,
          sourceHash: imported.sourceHash,
        });
        const changes =
          outcome.kind === 'updated' ? diffPlans(outcome.previous, imported.plan, PLATFORMS).map((c) => c.message) : [];
        const verb = {
          created: 'Đã nhập kế hoạch mới',
          unchanged: 'Kế hoạch này đã có từ trước (không nhập lại)',
          updated: 'Đã cập nhật kế hoạch; các bài đã viết được giữ nguyên',
        }[outcome.kind];
        // Shown at once with the importer's confidence report: it belongs to this reading of the document, not to the stored plan.
        return showPlan(
          req,
          res,
          outcome.plan,
          {
            report: reportOut(imported.report),
            changes,
            outcome: [verb, proposedUnitsNote(outcome.proposedUnits)].filter(Boolean).join('. '),
          },
          outcome.kind === 'created' ? 201 : 200,
        );
      } catch (error) {
        const message = mistakeOf(error);
        if (message === null) throw error;
        if (error instanceof AccessError)
          return refuse(`Không lưu tệp "${name}": ${message}. Không có gì được lưu.`, 403);
        return refuse(`Không đọc được tệp "${name}": ${message}`, 422);
      }
    },
  );

  const planPage = { params: planParams, querystring: z.object(periodFields) };
  desk.get('/desk/ke-hoach/:id', { schema: planPage }, async (req, res) => {
    try {
      return await showPlan(req, res, await getPlan(db.kysely, req.params.id));
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return sendPage(
        res,
        'message',
        { ...(await pageFrame(db, req)), page: 'ke-hoach', title: 'Không tìm thấy', message },
        404,
      );
    }
  });

  desk.post('/desk/ke-hoach/:id/ap-dung', { schema: { params: planParams, body: applyForm } }, async (req, res) => {
    const id = req.params.id;
    const actor = req.actor!;
    const asked = { tu: req.body.tu ?? '', den: req.body.den ?? '', donvi: req.body.donvi };
    let stored: StoredPlan;
    try {
      stored = await getPlan(db.kysely, id);
    } catch (error) {
      const message = mistakeOf(error);
      if (message === null) throw error;
      return sendPage(
        res,
        'message',
        { ...(await pageFrame(db, req)), page: 'ke-hoach', title: 'Không tìm thấy', message },
        404,
      );
    }
    // The answer is this plan's page itself (applying again adds nothing, so a reload is harmless): no sentence
    // travels in the address, where a link could put its own.
    try {
      const proposed = proposeCalendar(stored.structure, {
        from: isoDay(asked.tu, 'Từ ngày'),
        to: isoDay(asked.den, 'Đến ngày'),
        platforms: PLATFORMS,
      });
      // The desk shows the slots already gone by (on the process clock) and asks to drop or move them before saving.
      const now = clock.now();
      const past = pastSlotsOf(proposed, now).length;
      const pastChoice = req.body.daqua;
      if (past > 0 && pastChoice === undefined)
        throw new ValidationError(
          'Các lượt đã qua',
          `${past} lượt đăng đề xuất đã qua giờ: chọn bỏ các lượt đó hoặc dời sang ngày trống kế tiếp rồi lưu lại`,
        );
      const settled = pastChoice
        ? settlePastSlots(proposed, now, pastChoice)
        : { proposal: proposed, dropped: 0, moved: 0 };
      // An officer applies for their own unit; an admin (no unit) names the unit the drafts belong to.
      const unit = actor.unitId ?? req.body.donvi ?? '';
      const applied = await applyCalendarAs(db.kysely, actor, id, settled.proposal, unit);
      const missing = applied.missingPlatforms.map(platformName).join(', ');
      // Applying again adds nothing: say so, so a second click does not look like a failure.
      const already =
        applied.existingItems + applied.existingPublications > 0
          ? `; đã có từ trước ${applied.existingItems} bản nháp, ${applied.existingPublications} lượt đăng (không thêm lại)`
          : '';
      const pastText = settled.dropped
        ? `; bỏ ${settled.dropped} lượt đã qua`
        : settled.moved
          ? `; dời ${settled.moved} lượt đã qua sang ngày trống kế tiếp`
          : '';
      const text = `${applied.items.length} bản nháp mới, ${applied.publications.length} lượt đăng mới${pastText}${already}${missing ? `; chưa có kênh cho ${missing} (các lượt đó không được lưu)` : ''}`;
      const first = settled.proposal.slots[0];
      const month = first ? DateTime.fromISO(first.at).setZone(LOCAL_ZONE).toFormat('yyyy-LL') : asked.tu.slice(0, 7);
      return showPlan(req, res, stored, { applied: text, calendarMonth: month }, 200, asked);
    } catch (error) {
      const message = mistakeOf(error) ?? (error instanceof RangeError ? error.message : null);
      if (message === null) throw error;
      return showPlan(req, res, stored, { error: message }, 400, asked);
    }
  });
}
