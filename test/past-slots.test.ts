import type { StructuredPlan } from '../src/domain/plan';
import { pastSlotsOf, settlePastSlots } from '../src/importer/past-slots';
import { proposeCalendar } from './support/calendar';

/** A 2024 plan with a weekly portal post and a weekly radio reading. */
const PLAN: StructuredPlan = {
  identity: {
    code: null,
    issuer: 'UBND xã Tân Lập',
    issueDate: '2024-01-05',
    year: 2024,
    title: 'Tuyên truyền cải cách hành chính năm 2024',
    parentPlan: null,
    period: null,
    citedDocuments: [],
  },
  goals: [],
  contentAreas: [{ key: 'thu-tuc-hanh-chinh', wording: 'Tuyên truyền cải cách thủ tục hành chính', details: [] }],
  channels: [
    { platform: 'rss', wording: 'Cổng thông tin điện tử của xã' },
    { platform: 'radio', wording: 'Đài truyền thanh xã' },
  ],
  activities: [],
  reporting: [],
  funding: null,
  units: [{ key: 'ubnd-xa-tan-lap', name: 'UBND xã Tân Lập' }],
  recipientUnitKeys: [],
} as unknown as StructuredPlan;

// 07/12/2026 13:18 in Vietnam.
const NOW = new Date('2026-12-07T06:18:00Z');

describe('past slots of a calendar proposal', () => {
  const proposal = proposeCalendar(PLAN, { from: '2024-12-01', to: '2024-12-31' });

  test('a past plan proposes only past slots, and they are found', () => {
    expect(proposal.slots.length).toBeGreaterThan(4);
    expect(pastSlotsOf(proposal, NOW)).toHaveLength(proposal.slots.length);
  });

  test('dropping leaves no slot and no draft', () => {
    const settled = settlePastSlots(proposal, NOW, 'bo');
    expect(settled.dropped).toBe(proposal.slots.length);
    expect(settled.proposal.slots).toEqual([]);
    expect(settled.proposal.items).toEqual([]);
  });

  test('moving gives each past slot a day of its own from now on, at its own time of day, never in the past', () => {
    const settled = settlePastSlots(proposal, NOW, 'doi');
    expect(settled.moved).toBe(proposal.slots.length);
    expect(pastSlotsOf(settled.proposal, NOW)).toEqual([]);
    const days = settled.proposal.slots.map((s) => `${s.platform} ${s.at.slice(0, 10)}`);
    expect(new Set(days).size).toBe(days.length);
    const rss = settled.proposal.slots.filter((s) => s.platform === 'rss');
    // The portal's 08:00 slot has gone by today at 13:18: the first moved one is tomorrow at 08:00.
    expect(rss[0]!.at).toBe('2026-12-08T08:00:00+07:00');
    expect(rss[0]!.reason).toContain('dời từ');
    expect(settled.proposal.items.length).toBe(proposal.items.length);
  });

  test('slots still ahead are kept as they are', () => {
    const mixed = proposeCalendar({ ...PLAN, identity: { ...PLAN.identity, year: 2026 } } as StructuredPlan, {
      from: '2026-12-01',
      to: '2026-12-31',
    });
    const ahead = mixed.slots.filter((s) => new Date(s.at) > NOW);
    const settled = settlePastSlots(mixed, NOW, 'bo');
    expect(settled.proposal.slots).toEqual(ahead);
    expect(settled.dropped).toBe(mixed.slots.length - ahead.length);
  });
});
