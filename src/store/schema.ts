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
  /** AES-256-GCM ciphertext of the account's secret (store/secret-cipher.ts); never plaintext, never selected for display. */
  secret: string | null;
  secret_set_by: string | null;
  secret_set_at: string | null;
  /** Set while the channel is paused (credentials revoked…): its due publications wait instead of failing. */
  paused_at: string | null;
  paused_reason: string | null;
  paused_by: string | null;
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
}

export type Row<T extends keyof Database> = import('kysely').Selectable<Database[T]>;
