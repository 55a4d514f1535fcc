import { type Insertable, type Kysely, sql } from 'kysely';

import type { StructuredPlan } from '../../src/domain/plan';
import { publicationId } from '../../src/domain/publication';
import { saveChannel } from '../../src/store/channels';
import { addItems, approveItem } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import { recountReportRollup } from '../../src/store/report-rollup';
import type { Database } from '../../src/store/schema';
import { ensureUnit } from '../../src/store/units';

export function minimalPlan(code = '9/KH-UBND'): StructuredPlan {
  return {
    identity: {
      code: { text: code, number: 9, kind: 'KH', issuerAbbreviation: 'UBND' },
      issuer: 'UBND xã Tân Lập',
      issueDate: '2026-01-05',
      year: 2026,
      title: 'Tuyên truyền cải cách hành chính năm 2026',
      parentPlan: null,
      period: null,
      citedDocuments: [],
    },
    goals: [],
    contentAreas: [{ key: 'thu-tuc-hanh-chinh', wording: 'Tuyên truyền cải cách thủ tục hành chính', details: [] }],
    channels: [],
    activities: [],
    reporting: [],
    funding: null,
    units: [{ key: 'ubnd-xa-tan-lap', name: 'UBND xã Tân Lập' }],
    recipientUnitKeys: [],
  };
}

/** A stored plan with `count` approved items, titles "Bài 1" … */
/**
 * The Facebook Page of the commune Tân Lập (`trang-xa`, unit `ubnd-xa-tan-lap`): the platform account most tests that
 * publish to a platform use.
 */
export function saveCommunePage(db: Kysely<Database>, settings: Record<string, unknown> = {}, by = 'cán bộ A') {
  return saveChannel(
    db,
    { id: 'trang-xa', unitId: 'ubnd-xa-tan-lap', platform: 'facebook', name: 'Trang xã', settings },
    by,
  );
}

export async function seedItems(db: Kysely<Database>, count: number, approved = true): Promise<number[]> {
  const saved = await savePlan(
    db,
    { plan: minimalPlan(), sourceName: 'kế hoạch thử', sourceHash: 'hash-thu' },
    'kiểm thử',
  );
  const items = await addItems(
    db,
    Array.from({ length: count }, (_, i) => ({
      plan: saved.plan.id,
      area: 'thu-tuc-hanh-chinh',
      unit: 'ubnd-xa-tan-lap',
      title: `Bài ${i + 1}`,
      body: `Nội dung bài ${i + 1}: làm thủ tục trên Cổng dịch vụ công <b>& nhanh</b>.`,
      link: null,
      image: null,
      priority: 'thong-thuong' as const,
    })),
    'cán bộ A',
  );
  if (approved) for (const item of items) await approveItem(db, item.id, 'lãnh đạo B');
  return items.map((i) => i.id);
}

/** How big a desk to seed for the load bench (test/bench/desk.bench.ts). */
export interface DeskLoadSize {
  items: number;
  /** Units besides the default one; the default unit holds 40 % of the items, the others share the rest. */
  otherUnits: number;
  plans: number;
  auditRows: number;
}

export interface DeskLoad {
  units: string[];
  /** The default unit's channels: rss and radio. */
  homeUnit: string;
  items: number;
  waiting: number;
  publications: number;
  attempts: number;
  auditRows: number;
  plans: number;
}

const BATCH = 400;

async function insertBatched<T extends 'content_items' | 'publications' | 'publish_attempts' | 'audit_log'>(
  db: Kysely<Database>,
  table: T,
  rows: Array<Insertable<Database[T]>>,
): Promise<void> {
  for (let start = 0; start < rows.length; start += BATCH)
    await db
      .insertInto(table)
      .values(rows.slice(start, start + BATCH) as never)
      .execute();
}

/**
 * A province's year on the desk, written in multi-row inserts inside one transaction (10,000 items take seconds, not
 * the minutes of the product's one-by-one paths): `size.items` items over the default unit and `size.otherUnits`
 * more, each unit with an rss and a radio channel; an approved item has a portal post and a radio slot two days
 * apart, spread over the 330 days before `now` and the 35 after (past ones mostly published, with their attempts;
 * some failed, expired, cancelled, unconfirmed; future ones scheduled); 5 % of items wait for approval with slots
 * ahead, 3 % were returned, 2 % withdrawn; `size.plans` plans; `size.auditRows` lines of audit. Deterministic for a
 * given `now` (no randomness). The report's rollup is recounted once at the end, as after a restore.
 */
export async function seedDeskLoad(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  homeUnit: string,
  size: DeskLoadSize,
  now = new Date(),
): Promise<DeskLoad> {
  const units = [homeUnit];
  const channelsOf = new Map<string, [string, string]>([[homeUnit, ['rss', 'radio']]]);
  for (let u = 1; u <= size.otherUnits; u++) {
    const unit = await ensureUnit(db, `UBND xã Thử ${u}`, 'bench', `ubnd-xa-thu-${u}`);
    units.push(unit.id);
    channelsOf.set(unit.id, [`rss-thu-${u}`, `radio-thu-${u}`]);
    await saveChannel(
      db,
      { id: `rss-thu-${u}`, unitId: unit.id, platform: 'rss', name: `Cổng xã Thử ${u}`, settings: {} },
      'bench',
    );
    await saveChannel(
      db,
      { id: `radio-thu-${u}`, unitId: unit.id, platform: 'radio', name: `Đài xã Thử ${u}`, settings: {} },
      'bench',
    );
  }
  const planIds: number[] = [];
  for (let p = 1; p <= size.plans; p++) {
    const plan = minimalPlan(`${p}/KH-UBND`);
    plan.identity.title = `Tuyên truyền cải cách hành chính năm 2026, đợt ${p}`;
    const saved = await savePlan(db, { plan, sourceName: `kế hoạch ${p}.docx`, sourceHash: `hash-${p}` }, 'bench');
    planIds.push(saved.plan.id);
  }
  const day = 86_400_000;
  const start = now.getTime() - 330 * day;
  const span = 365 * day;
  const stamp = now.toISOString();
  const unitOf = (n: number) => (n % 10 < 4 || units.length === 1 ? homeUnit : units[1 + (n % (units.length - 1))]!);
  const body =
    'Từ ngày 01/7/2025, người dân làm thủ tục hành chính tại Trung tâm phục vụ hành chính công của xã hoặc trên ' +
    'Cổng dịch vụ công quốc gia. Bài viết hướng dẫn các bước nộp hồ sơ trực tuyến, thanh toán lệ phí và nhận kết ' +
    'quả tại nhà qua dịch vụ bưu chính công ích; cán bộ một cửa hỗ trợ người cao tuổi và người khuyết tật. ';
  const itemRows: Array<Insertable<Database['content_items']>> = [];
  const pubRows: Array<Insertable<Database['publications']>> = [];
  const attemptRows: Array<Insertable<Database['publish_attempts']>> = [];
  let waiting = 0;
  for (let n = 1; n <= size.items; n++) {
    const unit = unitOf(n);
    // Items spread over the year by a prime stride, so neighbouring ids are not neighbouring days.
    const at = new Date(start + ((n * 7919) % (span / 60_000)) * 60_000);
    const standing = n % 100 < 5 ? 'waiting' : n % 100 < 8 ? 'returned' : n % 100 < 10 ? 'withdrawn' : 'approved';
    const due = standing === 'waiting' ? new Date(now.getTime() + (1 + (n % 34)) * day + (n % 600) * 60_000) : at;
    if (standing === 'waiting') waiting++;
    itemRows.push({
      id: n,
      plan_id: planIds[n % planIds.length]!,
      area_key: 'thu-tuc-hanh-chinh',
      unit_id: unit,
      title: `Bài ${n}: hướng dẫn làm thủ tục trên Cổng dịch vụ công`,
      body: body + body,
      author: 'bench',
      approved_by: standing === 'approved' ? 'bench' : null,
      approved_at: standing === 'approved' ? stamp : null,
      rejected_by: standing === 'returned' ? 'bench' : null,
      rejected_at: standing === 'returned' ? stamp : null,
      rejection_reason: standing === 'returned' ? 'Cần dẫn nguồn văn bản' : null,
      withdrawn_at: standing === 'withdrawn' ? stamp : null,
      withdrawn_by: standing === 'withdrawn' ? 'bench' : null,
      withdrawal_reason: standing === 'withdrawn' ? 'Trùng bài' : null,
      created_at: new Date(due.getTime() - 5 * day).toISOString(),
      updated_at: new Date(due.getTime() - 4 * day).toISOString(),
    });
    if (standing === 'returned') continue;
    const [rss, radio] = channelsOf.get(unit)!;
    for (const [k, channel] of [rss, radio].entries()) {
      const scheduledAt = new Date(due.getTime() + k * 2 * day);
      const past = scheduledAt < now;
      const state = !past
        ? standing === 'withdrawn'
          ? 'cancelled'
          : 'scheduled'
        : standing === 'withdrawn'
          ? 'cancelled'
          : (['failed', 'expired', 'cancelled', 'unconfirmed'][n % 50] ?? 'published');
      const id = publicationId(n, channel, scheduledAt);
      const published = state === 'published';
      pubRows.push({
        id,
        item_id: n,
        channel_id: channel,
        scheduled_at: scheduledAt.toISOString(),
        state,
        reason: state === 'failed' ? 'Máy chủ của kênh không trả lời' : null,
        content: published ? `<p>${body}</p>` : null,
        external_id: published ? `post-${n}-${k}` : null,
        external_url: published ? `https://cong.example.vn/tin/${n}-${k}` : null,
        attempts: published || state === 'failed' || state === 'unconfirmed' ? 1 : 0,
        queued_by: 'bench',
        claimed_by: null,
        lease_until: null,
        published_at: published ? new Date(scheduledAt.getTime() + 40_000).toISOString() : null,
        claim_token: null,
        published_title: published ? `Bài ${n}: hướng dẫn làm thủ tục trên Cổng dịch vụ công` : null,
        created_at: stamp,
        updated_at: stamp,
      });
      if (published || state === 'failed' || state === 'unconfirmed')
        attemptRows.push({
          publication_id: id,
          attempt_no: 1,
          worker: 'bench',
          started_at: scheduledAt.toISOString(),
          finished_at: new Date(scheduledAt.getTime() + 40_000).toISOString(),
          outcome: state,
          external_id: published ? `post-${n}-${k}` : null,
          external_url: published ? `https://cong.example.vn/tin/${n}-${k}` : null,
          error: state === 'failed' ? 'Máy chủ của kênh không trả lời' : null,
          claim_token: null,
          steps: null,
          platform_code: null,
          platform_subcode: null,
          platform_trace_id: null,
        });
    }
  }
  const auditRows: Array<Insertable<Database['audit_log']>> = Array.from({ length: size.auditRows }, (_, i) => ({
    at: new Date(start + ((i * 7919) % (span / 60_000)) * 60_000).toISOString(),
    actor: 'Lãnh đạo bench',
    source: 'browser',
    unit_id: unitOf(i + 1),
    action: 'item.approve',
    subject: String(i + 1),
    detail: JSON.stringify({ title: `Bài ${i + 1}` }),
  }));
  await db.transaction().execute(async (tx) => {
    await insertBatched(tx, 'content_items', itemRows);
    await insertBatched(tx, 'publications', pubRows);
    await insertBatched(tx, 'publish_attempts', attemptRows);
    await insertBatched(tx, 'audit_log', auditRows);
  });
  if (dialect === 'postgres')
    await sql`SELECT setval('content_items_id_seq', (SELECT max(id) FROM content_items))`.execute(db);
  await recountReportRollup(db, dialect);
  // PostgreSQL's autovacuum gathers statistics after a bulk load; a SQLite installation never runs ANALYZE, so its
  // planner works without statistics, and so does the bench's.
  if (dialect === 'postgres') await sql`ANALYZE`.execute(db);
  return {
    units,
    homeUnit,
    items: itemRows.length,
    waiting,
    publications: pubRows.length,
    attempts: attemptRows.length,
    auditRows: auditRows.length,
    plans: planIds.length,
  };
}
