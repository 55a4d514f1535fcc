import type { FastifyInstance, FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';

import { PLATFORMS } from '../../../channels';
import { lastBackup } from '../../backup/last-backup';
import type { Config } from '../../config';
import type { PublishQueues } from '../../queue/queues';
import { queueName } from '../../queue/queues';
import type { Db } from '../../store';
import {
  lastSuccessByChannel,
  latenessHistogram,
  publicationCounts,
  tokenExpiries,
} from '../../store/operations-figures';

/** Lateness buckets in seconds: a minute is on time for an officer; an hour late is a missed slot on the radio. */
const LATENESS_BOUNDS = [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600] as const;
const QUEUE_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'failed'] as const;
const REDIS_ANSWER_MS = 1_000;

/** A Prometheus label value: backslash, quote and newline escaped, as the text format requires. */
function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labels(pairs: Record<string, string>): string {
  const parts = Object.entries(pairs).map(([k, v]) => `${k}="${label(v)}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

function number(value: number): string {
  return Number.isFinite(value) ? String(value) : value > 0 ? '+Inf' : '-Inf';
}

/** The text exposition format, one metric family at a time. */
class Exposition {
  private readonly lines: string[] = [];
  family(name: string, type: 'gauge' | 'counter' | 'histogram', help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }
  sample(name: string, value: number, pairs: Record<string, string> = {}): this {
    this.lines.push(`${name}${labels(pairs)} ${number(value)}`);
    return this;
  }
  toString(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/**
 * Open to the machine itself and to an admin's bearer token, nothing else. A request that came through a reverse proxy
 * (it carries X-Forwarded-For or Forwarded) is not the machine itself even though it arrives on loopback: the proxy
 * forwards the world's requests from 127.0.0.1.
 */
function mayRead(req: FastifyRequest): boolean {
  if (req.actor) return req.actor.role === 'admin';
  if (req.headers['x-forwarded-for'] !== undefined || req.headers.forwarded !== undefined) return false;
  const address = req.socket.remoteAddress;
  return address !== undefined && ipaddr.isValid(address) && ipaddr.process(address).range() === 'loopback';
}

/**
 * `/metrics` in the Prometheus text format: publications by state, channel and unit; lateness of what went out as a
 * histogram; queue depths; workers connected; each channel's last publication; the last backup's age. Figures come
 * from the database (the source of truth) and Redis at each scrape; a Redis that does not answer shows as
 * `loa_redis_up 0` and no queue figures, never as a failed scrape.
 */
export async function metricsRoutes(
  app: FastifyInstance,
  options: { db: Db; queues: PublishQueues; config: Config; now?: () => Date },
): Promise<void> {
  const { db, queues, config } = options;
  app.get('/metrics', async (req, res) => {
    if (!mayRead(req)) {
      return res.code(403).send({
        error: {
          message: 'Authorization: /metrics chỉ mở cho chính máy này (127.0.0.1) hoặc mã truy cập của quản trị viên',
        },
      });
    }
    const now = options.now?.() ?? new Date();
    const out = new Exposition();
    out.family('loa_publications', 'gauge', 'Publications by state, channel and the channel unit.');
    for (const row of await publicationCounts(db.kysely)) {
      out.sample('loa_publications', row.count, { state: row.state, channel: row.channel, unit: row.unit });
    }
    const lateness = await latenessHistogram(db.kysely, db.dialect, LATENESS_BOUNDS);
    out.family(
      'loa_publication_lateness_seconds',
      'histogram',
      'Seconds from scheduled to published time of what went out.',
    );
    lateness.bounds.forEach((bound, i) =>
      out.sample('loa_publication_lateness_seconds_bucket', lateness.counts[i]!, { le: String(bound) }),
    );
    out.sample('loa_publication_lateness_seconds_bucket', lateness.count, { le: '+Inf' });
    out.sample('loa_publication_lateness_seconds_sum', lateness.sum);
    out.sample('loa_publication_lateness_seconds_count', lateness.count);
    out.family(
      'loa_channel_last_success_timestamp_seconds',
      'gauge',
      'When each channel last published (Unix time; 0: never).',
    );
    for (const { channel, at } of await lastSuccessByChannel(db.kysely)) {
      out.sample('loa_channel_last_success_timestamp_seconds', at ? Math.floor(at.getTime() / 1000) : 0, { channel });
    }
    out.family(
      'loa_channel_token_days_left',
      'gauge',
      'Days until the channel token runs out (negative: expired); only channels whose expiry is known.',
    );
    for (const { channel, at } of await tokenExpiries(db.kysely)) {
      out.sample('loa_channel_token_days_left', Math.floor((at.getTime() - now.getTime()) / 86_400_000), { channel });
    }
    const backup = lastBackup(config.backupDir);
    out.family(
      'loa_backup_last_timestamp_seconds',
      'gauge',
      'When the newest backup in LOA_BACKUP_DIR was written (0: none).',
    );
    out.sample('loa_backup_last_timestamp_seconds', backup ? Math.floor(backup.at.getTime() / 1000) : 0);
    out.family('loa_backup_age_seconds', 'gauge', 'Age of the newest backup in LOA_BACKUP_DIR (+Inf: none).');
    out.sample(
      'loa_backup_age_seconds',
      backup ? Math.max(0, Math.round((now.getTime() - backup.at.getTime()) / 1000)) : Infinity,
    );
    const redis = await queues.reachable(REDIS_ANSWER_MS);
    out.family('loa_redis_up', 'gauge', 'Whether Redis answered this scrape.').sample('loa_redis_up', redis ? 1 : 0);
    if (redis) {
      out.family('loa_workers', 'gauge', 'Worker processes connected to the queues.');
      out.sample('loa_workers', await queues.workerCount(PLATFORMS.names));
      out.family('loa_queue_jobs', 'gauge', 'Jobs in each queue by BullMQ state.');
      for (const platform of PLATFORMS.names) {
        const counts = await queues.queue(platform).getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES)
          out.sample('loa_queue_jobs', counts[state] ?? 0, { queue: queueName(platform), state });
      }
    }
    return res.header('content-type', 'text/plain; version=0.0.4; charset=utf-8').send(out.toString());
  });
}
