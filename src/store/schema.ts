import type { Generated } from 'kysely';

/** Times are ISO 8601 UTC text in both databases (see domain/time.ts); JSON columns are text, parsed in the repositories only. */
export interface UnitsTable {
  id: string;
  name: string;
  created_by: Generated<string>;
  created_at: string;
  /** 0015: province, department, commune, ward… (domain/unit.ts); retired (merged or dissolved) units stay. */
  kind: Generated<string>;
  retired_at: Generated<string | null>;
  retired_by: Generated<string | null>;
  merged_into: Generated<string | null>;
}

/** 0015: every rename, merger and retirement of a unit, for ever. */
export interface UnitEventsTable {
  id: Generated<number>;
  unit_id: string;
  action: string;
  name_before: string;
  name_after: string | null;
  into_unit_id: string | null;
  at: string;
  by: string;
}

/** 0015: the unit that owned a channel until a merger moved it. */
export interface ChannelOwnersTable {
  channel_id: string;
  unit_id: string;
  until: string;
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
  /** The unit whose officers may update the plan (null: admins only). */
  imported_unit: string | null;
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
  /** AES-256-GCM ciphertext of the account's secret (store/secret-cipher.ts); never plaintext, never selected for display. */
  secret: string | null;
  secret_set_by: string | null;
  secret_set_at: string | null;
  /** Set while the channel is paused (credentials revoked…): its due publications wait instead of failing. */
  paused_at: string | null;
  paused_reason: string | null;
  paused_by: string | null;
  /** Credentials' state (migration 0022): expiries, last success, what the platform said; never secret. */
  token_expires_at: string | null;
  refresh_expires_at: string | null;
  last_success_at: string | null;
  token_checked_at: string | null;
  token_summary: string | null;
  token_problem: string | null;
}

/** Connections under way through a platform's consent screen (migration 0023); secrets in it are encrypted. */
export interface ChannelConnectionsTable {
  state_hash: string;
  channel_id: string;
  holder_hash: string;
  actor: string;
  keep: string;
  choices: string | null;
  created_at: string;
  expires_at: string;
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
  /** 0012: taken back by an officer (its publications cancelled or withdrawn), with who and why. */
  withdrawn_at: Generated<string | null>;
  withdrawn_by: Generated<string | null>;
  withdrawal_reason: Generated<string | null>;
  /** 0012: where the item came from (an imported row, a calendar week), unique per unit: repeating adds nothing. */
  origin_key: Generated<string | null>;
  /** 0012: the last person who edited it. */
  edited_by: Generated<string | null>;
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
  /** The fencing token of the claim in force (0004); a write presenting another token changes nothing. */
  claim_token: string | null;
  /** The title as published (0004); the text is `content`, the link `external_url`. */
  published_title: string | null;
  /** 0012: a published post taken down (state `withdrawn`): who, when, why. */
  withdrawn_at: Generated<string | null>;
  withdrawn_by: Generated<string | null>;
  withdrawal_reason: Generated<string | null>;
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
  /** 0004: the claim's fencing token; partial ids recorded mid-way (JSON object); the platform's own code, subcode, trace id. */
  claim_token: string | null;
  steps: string | null;
  platform_code: string | null;
  platform_subcode: string | null;
  platform_trace_id: string | null;
}

/** A content item carries out a key activity of its plan (by the plan's list label). */
export interface ItemActivitiesTable {
  item_id: number;
  activity_label: string;
  linked_by: string;
  linked_at: string;
}

/** A feed Loa reads news from (migration 0009); `proposals` is JSON of proposed channels and times. */
export interface SourcesTable {
  id: Generated<number>;
  url: string;
  unit_id: string;
  plan_id: number | null;
  title: string | null;
  every_minutes: number;
  proposals: Generated<string>;
  etag: string | null;
  last_modified: string | null;
  state: string;
  status: string;
  failures: Generated<number>;
  polled_at: string | null;
  succeeded_at: string | null;
  next_poll_after: string | null;
  lease_until: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

/** Every entry seen in a unit's feeds, once (unique by guid and by link); `slots` is JSON of proposed publications. */
export interface SourceEntriesTable {
  id: Generated<number>;
  unit_id: string;
  source_id: number | null;
  guid: string | null;
  link: string | null;
  title: string;
  published_at: string | null;
  outcome: string;
  item_id: number | null;
  area_key: string | null;
  area_confirmed_by: string | null;
  slots: Generated<string>;
  slots_confirmed_by: string | null;
  seen_at: string;
}

export interface Database {
  units: UnitsTable;
  unit_events: UnitEventsTable;
  channel_owners: ChannelOwnersTable;
  plans: PlansTable;
  content_areas: ContentAreasTable;
  plan_areas: PlanAreasTable;
  channels: ChannelsTable;
  channel_connections: ChannelConnectionsTable;
  content_items: ContentItemsTable;
  publications: PublicationsTable;
  publish_attempts: PublishAttemptsTable;
  item_activities: ItemActivitiesTable;
  sources: SourcesTable;
  source_entries: SourceEntriesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  sessions: SessionsTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  publishing_pauses: PublishingPausesTable;
  platform_posts: PlatformPostsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
}

/** One row per running worker process (migration 0024): its last beat on the database's clock. */
export interface WorkerHeartbeatsTable {
  /** host/pid, as the publish protocol names the worker. */
  worker: string;
  host: string;
  pid: number;
  started_at: string;
  beat_at: string;
  /** The worker's clock minus the database's at the last beat (ms; positive: the worker is ahead). */
  clock_offset_ms: number;
  /** How often it beats (its LOA_HEARTBEAT_MS): it is alive while its last beat is younger than three of these. */
  beat_every_ms: number;
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

/**
 * The ledger of what exists on each platform (0014): one row per thing a platform created for a publication, unique
 * on (channel_id, external_id); written through the publish protocol, never overwritten (see domain/platform-post.ts).
 */
export interface PlatformPostsTable {
  id: Generated<number>;
  publication_id: string;
  channel_id: string;
  kind: string;
  external_id: string;
  external_url: string | null;
  attempt_id: number | null;
  state: Generated<string>;
  state_reason: string | null;
  recorded_at: string;
}

export type Row<T extends keyof Database> = import('kysely').Selectable<Database[T]>;
