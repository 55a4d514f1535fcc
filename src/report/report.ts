import type { ReportPeriod } from '../domain/report-period';

/**
 * What `loa report` tells a supervisor about a period: the figures from the publish log and the plan(s) in force
 * checked against them. Plain data: every format (terminal, JSON, CSV, XLSX, DOCX, charts) is drawn from it.
 */
export interface PeriodReport {
  period: Omit<ReportPeriod, 'start' | 'end' | 'months'> & { start: string; end: string };
  /** The unit whose channels the figures cover, or null for every unit. */
  unit: { id: string; name: string } | null;
  /** Statuses of plan activities are judged at this instant (the period's end, or now when it has not ended). */
  asOf: string;
  totals: Totals;
  byChannel: ChannelRow[];
  byPlatform: PlatformRow[];
  byArea: AreaRow[];
  byUnit: UnitRow[];
  byMonth: MonthRow[];
  /** Items by the number of channels they reached. */
  reach: Array<{ channels: number; items: number }>;
  problems: ProblemRow[];
  /** Published in the period and taken down later, by withdrawal reason and channel (also counted as published). */
  withdrawals: WithdrawalRow[];
  punctuality: Punctuality;
  plans: PlanCoverage[];
  /** The communes and wards of the period (two-tier local government: there are no districts) that published. */
  communes: CommuneCoverage;
}

/**
 * How many of the communes and wards that existed in the period had at least one post go out on their channels,
 * each counted as it was when its posts went out (a commune merged mid-year counts under its old name before the
 * merger). Departments and the province are not communes and are not counted.
 */
export interface CommuneCoverage {
  total: number;
  published: number;
  /** Names of those with nothing published in the period, for the supervisor to follow up. */
  silent: string[];
}

/**
 * Publications in the period by final state. `published` counts every publication that went out, including those
 * taken down later; `withdrawn` counts the taken-down ones among them (a part of `published`, not beside it): the
 * plan's figures are about what was published, and a take-down does not undo that it went out at its time.
 */
export interface StateCounts {
  published: number;
  /** Of the published, how many were taken down later (state withdrawn, "đã gỡ"). */
  withdrawn: number;
  failed: number;
  unconfirmed: number;
  expired: number;
  cancelled: number;
  /** Still scheduled, queued or being published. */
  pending: number;
}

export interface Totals extends StateCounts {
  /** Different content items published at least once. */
  items: number;
  itemsOnSeveralChannels: number;
  /** Published only after more than one attempt. */
  publishedAfterRetry: number;
  /** Attempts made for the period's publications, all states. */
  attempts: number;
}

export interface ChannelRow extends StateCounts {
  channelId: string;
  name: string;
  platform: string;
  platformLabel: string;
  unitName: string;
}

export interface PlatformRow extends StateCounts {
  platform: string;
  label: string;
  channels: number;
}

export interface AreaRow {
  areaKey: string;
  name: string;
  published: number;
  items: number;
}

export interface UnitRow extends StateCounts {
  unitId: string;
  name: string;
}

export interface MonthRow extends StateCounts {
  month: string;
  label: string;
}

export interface ProblemRow {
  state: 'failed' | 'unconfirmed' | 'expired' | 'cancelled';
  stateLabel: string;
  reason: string;
  count: number;
}

export interface WithdrawalRow {
  /** The reason the officer gave for taking the post down. */
  reason: string;
  channelId: string;
  channelName: string;
  count: number;
}

export interface Punctuality {
  published: number;
  withinOneMinute: number;
  withinFiveMinutes: number;
  /** 0…1, null when nothing was published. */
  shareWithinOneMinute: number | null;
  shareWithinFiveMinutes: number | null;
  worst: Array<{
    publicationId: string;
    channelId: string;
    title: string;
    scheduledAt: string;
    publishedAt: string;
    delaySeconds: number;
  }>;
}

export type ActivityStatus = 'done' | 'due' | 'overdue' | 'not-yet' | 'outside' | 'unknown';

export const ACTIVITY_STATUS_LABELS: Record<ActivityStatus, string> = {
  done: 'đã thực hiện',
  due: 'đến hạn trong kỳ, chưa thực hiện',
  overdue: 'quá hạn, chưa thực hiện',
  'not-yet': 'chưa đến hạn',
  outside: 'không đến hạn trong kỳ',
  unknown: 'không rõ thời hạn, chưa thực hiện',
};

export interface PlanCoverage {
  planId: number;
  code: string | null;
  title: string;
  year: number | null;
  areas: Array<{ areaKey: string; name: string; wording: string; published: number; responsible: string[] }>;
  channels: Array<{
    platform: string;
    label: string;
    wording: string;
    published: number;
    hasChannel: boolean;
    responsible: string[];
  }>;
  /** Forms the plan names that Loa does not publish to (press, conferences…): reported by units themselves. */
  offlineForms: string[];
  activities: Array<{
    label: string;
    title: string;
    timing: string;
    status: ActivityStatus;
    statusLabel: string;
    /** Occurrences due in the period so far (a weekly activity in a quarter: up to 13) and how many were carried out. */
    due: number;
    done: number;
    published: number;
    responsible: string[];
  }>;
  /** Areas and channels with nothing published, activities due or overdue and not done. */
  gaps: Array<{ kind: 'area' | 'channel' | 'activity'; what: string; detail: string; responsible: string[] }>;
}
