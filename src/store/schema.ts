import type { Generated } from 'kysely';

/** Times are ISO 8601 UTC text in both databases (see domain/time.ts); JSON columns are text, parsed in the repositories only. */
export interface UnitsTable {
  id: string;
  name: string;
  created_by: Generated<string>;
  created_at: string;
}

export interface PlansTable {
  id: Generated<number>;
  code: string | null;
  title: string;
  issuer: string | null;
  year: number | null;
  issued_on: string | null;
  source_name: string;
  source_hash: string;
  structure: string;
  imported_by: string;
  created_at: string;
  updated_at: string;
}

export interface ContentAreasTable {
  key: string;
  name: string;
}

export interface PlanAreasTable {
  plan_id: number;
  area_key: string;
  position: number;
  wording: string;
}

export interface ChannelsTable {
  id: string;
  unit_id: string;
  platform: string;
  name: string;
  settings: string;
  created_by: Generated<string>;
  created_at: string;
}

export interface ContentItemsTable {
  id: Generated<number>;
  plan_id: number;
  area_key: string;
  unit_id: string;
  title: string;
  body: string;
  link: string | null;
  image: string | null;
  author: string;
  approved_by: string | null;
  approved_at: string | null;
  priority: Generated<string>;
  rejected_by: Generated<string | null>;
  rejected_at: Generated<string | null>;
  rejection_reason: Generated<string | null>;
  created_at: string;
  updated_at: string;
}

export interface PublicationsTable {
  id: string;
  item_id: number;
  channel_id: string;
  scheduled_at: string;
  state: string;
  reason: string | null;
  /** Exactly what was sent to the channel (rendered), for the feed and for the record. */
  content: string | null;
  external_id: string | null;
  external_url: string | null;
  attempts: number;
  queued_by: string;
  claimed_by: string | null;
  lease_until: string | null;
  published_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface PublishAttemptsTable {
  id: Generated<number>;
  publication_id: string;
  attempt_no: number;
  worker: string;
  started_at: string;
  finished_at: string | null;
  outcome: string;
  external_id: string | null;
  external_url: string | null;
  error: string | null;
}

export interface Database {
  units: UnitsTable;
  plans: PlansTable;
  content_areas: ContentAreasTable;
  plan_areas: PlanAreasTable;
  channels: ChannelsTable;
  content_items: ContentItemsTable;
  publications: PublicationsTable;
  publish_attempts: PublishAttemptsTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  publishing_pauses: PublishingPausesTable;
}

/** Accounts (migration 0010). Passwords, tokens and session ids are stored only as hashes. */
export interface UsersTable {
  id: Generated<number>;
  name: string;
  unit_id: string | null;
  role: string;
  password_hash: string;
  disabled_at: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  label: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: number;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  account: string;
  address: string;
  at: string;
}

/** Append-only (a trigger refuses UPDATE and DELETE). */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  source: string;
  unit_id: string | null;
  action: string;
  subject: string;
  detail: string | null;
}

/** An emergency pause: unit_id null is province-wide; active while resumed_at is null. */
export interface PublishingPausesTable {
  id: Generated<number>;
  unit_id: string | null;
  reason: string;
  paused_by: string;
  paused_at: string;
  resumed_by: string | null;
  resumed_at: string | null;
}

export type Row<T extends keyof Database> = import('kysely').Selectable<Database[T]>;
