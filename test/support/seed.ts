import type { Kysely } from 'kysely';

import type { StructuredPlan } from '../../src/domain/plan';
import { addItems, approveItem } from '../../src/store/items';
import { savePlan } from '../../src/store/plans';
import type { Database } from '../../src/store/schema';

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
