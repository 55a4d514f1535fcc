import {
  type ChannelMention,
  CONTENT_AREAS,
  type ContentArea,
  type KeyActivity,
  OFFLINE_FORMS,
  type StructuredPlan,
} from '../domain/plan';
import type { Platforms } from '../domain/platforms';

/** What changed between two imports of a plan, in sentences an officer reads before accepting the new version. */

export type PlanSection =
  'identity' | 'goals' | 'contentAreas' | 'channels' | 'activities' | 'reporting' | 'funding' | 'units' | 'recipients';

export interface PlanChange {
  kind: 'added' | 'removed' | 'changed';
  section: PlanSection;
  message: string;
}

function shown(value: string | number | null | undefined): string {
  return value === null || value === undefined || value === '' ? '(không có)' : `"${value}"`;
}

function changedValue(
  section: PlanSection,
  label: string,
  before: string | number | null,
  after: string | number | null,
): PlanChange[] {
  return before === after
    ? []
    : [{ kind: 'changed', section, message: `${label}: ${shown(before)} → ${shown(after)}` }];
}

/** Entries present on one side only, matched by `keyOf`; `describe` says what the entry is. */
function changedList<T>(
  section: PlanSection,
  label: string,
  before: readonly T[],
  after: readonly T[],
  keyOf: (item: T) => string,
  describe: (item: T) => string,
): PlanChange[] {
  const beforeKeys = new Set(before.map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return [
    ...before
      .filter((item) => !afterKeys.has(keyOf(item)))
      .map((item): PlanChange => ({ kind: 'removed', section, message: `Bỏ ${label}: ${describe(item)}` })),
    ...after
      .filter((item) => !beforeKeys.has(keyOf(item)))
      .map((item): PlanChange => ({ kind: 'added', section, message: `Thêm ${label}: ${describe(item)}` })),
  ];
}

const sameText = (text: string) => text;

function channelName(channel: ChannelMention, platforms: Platforms): string {
  if (channel.platform) return platforms.label(channel.platform);
  return OFFLINE_FORMS[channel.offlineForm ?? 'khac'];
}

function channelKey(channel: ChannelMention): string {
  if (channel.platform) return `platform:${channel.platform}`;
  return channel.offlineForm === 'khac' ? `khac:${channel.wording}` : `form:${channel.offlineForm}`;
}

function areaKey(area: ContentArea): string {
  return `${area.key}|${area.wording}`;
}

function identityChanges(before: StructuredPlan, after: StructuredPlan): PlanChange[] {
  const [a, b] = [before.identity, after.identity];
  return [
    ...changedValue('identity', 'Số hiệu', a.code?.text ?? null, b.code?.text ?? null),
    ...changedValue('identity', 'Cơ quan ban hành', a.issuer, b.issuer),
    ...changedValue('identity', 'Ngày ban hành', a.issueDate, b.issueDate),
    ...changedValue('identity', 'Năm kế hoạch', a.year, b.year),
    ...changedValue('identity', 'Tiêu đề', a.title, b.title),
    ...changedValue('identity', 'Kế hoạch cấp trên', a.parentPlan?.code.text ?? null, b.parentPlan?.code.text ?? null),
  ];
}

/** Details of a content entry present in both versions. */
function areaDetailChanges(before: StructuredPlan, after: StructuredPlan): PlanChange[] {
  return after.contentAreas.flatMap((area) => {
    const previous = before.contentAreas.find((candidate) => areaKey(candidate) === areaKey(area));
    if (!previous) return [];
    return changedList(
      'contentAreas',
      `chi tiết của "${area.wording}"`,
      previous.details,
      area.details,
      sameText,
      sameText,
    );
  });
}

/** A unit's name, looked up in either version. */
function unitNamer(before: StructuredPlan, after: StructuredPlan): (key: string) => string {
  const units = [...after.units, ...before.units];
  return (key) => units.find((unit) => unit.key === key)?.name ?? key;
}

function activityChanges(before: StructuredPlan, after: StructuredPlan): PlanChange[] {
  const describe = (activity: KeyActivity) => `${activity.label}) ${activity.title}`;
  const nameOf = unitNamer(before, after);
  const unitNames = (keys: string[]) => keys.map(nameOf).join(', ');
  const changed = after.activities.flatMap((activity) => {
    const previous = before.activities.find((candidate) => candidate.label === activity.label);
    if (!previous) return [];
    const prefix = `Hoạt động ${activity.label})`;
    return [
      ...changedValue('activities', `${prefix} nội dung`, previous.title, activity.title),
      ...changedValue(
        'activities',
        `${prefix} thời gian`,
        previous.timing?.wording ?? null,
        activity.timing?.wording ?? null,
      ),
      ...changedValue(
        'activities',
        `${prefix} đơn vị thực hiện`,
        unitNames(previous.leadUnitKeys),
        unitNames(activity.leadUnitKeys),
      ),
      ...changedValue(
        'activities',
        `${prefix} đơn vị phối hợp`,
        unitNames(previous.partnerUnitKeys),
        unitNames(activity.partnerUnitKeys),
      ),
    ];
  });
  const byLabel = (activity: KeyActivity) => activity.label;
  return [
    ...changedList('activities', 'hoạt động', before.activities, after.activities, byLabel, describe),
    ...changed,
  ];
}

/** `platforms` (the registry in channels/) names the platforms for people. */
export function diffPlans(before: StructuredPlan, after: StructuredPlan, platforms: Platforms): PlanChange[] {
  return [
    ...identityChanges(before, after),
    ...changedList('goals', 'mục đích, yêu cầu', before.goals, after.goals, sameText, sameText),
    ...changedList(
      'contentAreas',
      'nội dung',
      before.contentAreas,
      after.contentAreas,
      areaKey,
      (area) => `${CONTENT_AREAS[area.key]} – ${area.wording}`,
    ),
    ...areaDetailChanges(before, after),
    ...changedList(
      'channels',
      'hình thức',
      before.channels,
      after.channels,
      channelKey,
      (channel) => `${channelName(channel, platforms)} (${channel.wording})`,
    ),
    ...activityChanges(before, after),
    ...changedList(
      'reporting',
      'chế độ báo cáo',
      before.reporting,
      after.reporting,
      (duty) => duty.wording,
      (duty) => duty.wording,
    ),
    ...changedValue('funding', 'Kinh phí', before.funding, after.funding),
    ...changedList(
      'units',
      'đơn vị',
      before.units,
      after.units,
      (unit) => unit.key,
      (unit) => unit.name,
    ),
    ...changedList(
      'recipients',
      'nơi nhận',
      before.recipientUnitKeys,
      after.recipientUnitKeys,
      sameText,
      unitNamer(before, after),
    ),
  ];
}
