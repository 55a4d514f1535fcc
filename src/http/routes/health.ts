import type { FastifyInstance } from 'fastify';

import { PLATFORMS } from '../../../channels';
import { queueSettings } from '../../queue/settings';
import type { WriteStop } from '../../store/integrity';
import { countStuck } from '../../store/publications';
import { type HealthLimits, type PublishingHealth, publishingHealth } from '../../store/publishing-health';
import type { HttpDeps } from '../deps';

/**
 * Redis is asked on a connection of its own that fails fast (a refused connection answers at once, so a monitor gets
 * its 503 within a second when Redis is down). A service that answers but is slow (a loaded machine) gets this long.
 */
const ANSWER_MS = 3_000;

function within<T>(work: Promise<T>, fallback: T): Promise<T> {
  return Promise.race([
    work.catch(() => fallback),
    new Promise<T>((resolve) => setTimeout(resolve, ANSWER_MS, fallback).unref()),
  ]);
}

/** What "publishing works" is measured against; the same limits `loa doctor` uses. */
export function healthLimits(): HealthLimits {
  return {
    overdueMs: queueSettings.overdueMs,
    // Long enough to see the last tries of a channel that publishes a few times an hour.
    recentMs: 30 * 60_000,
    // Due times are read on the database's clock, but a worker's own clock still decides when its timers fire.
    maxClockOffsetMs: 5_000,
  };
}

/**
 * Health that means "publishing works": the database answers and takes writes, Redis answers, at least one
 * worker beat within its deadline (a frozen worker does not count, though Redis still holds its connections), no
 * publication is stuck with a worker that stopped renewing its claim, no due publication is overdue, no channel's
 * last tries failed, and no live worker's clock is off from the database's. 503 when any is false, with the figures, so
 * a monitor notices that nothing (or not everything) will be published.
 */
export async function healthRoutes(
  app: FastifyInstance,
  { db, queues, writes }: Pick<HttpDeps, 'db' | 'queues'> & { writes?: WriteStop },
): Promise<void> {
  app.get('/health', async (_req, res) => {
    const stuck = await within(
      countStuck(db.kysely, queueSettings.schedulerEveryMs + queueSettings.lockDurationMs),
      -1,
    );
    const publishing = await within<PublishingHealth | null>(publishingHealth(db.kysely, healthLimits()), null);
    const database = stuck >= 0 && publishing !== null;
    const redis = await queues.reachable(ANSWER_MS);
    const connected = redis ? await within(queues.workerCount(PLATFORMS.names), -1) : -1;
    const body = {
      database,
      redis: connected >= 0,
      workers: publishing?.alive ?? 0,
      stuck: Math.max(stuck, 0),
      overdue: publishing?.overdue ?? 0,
      failing: publishing?.channels.filter((c) => c.failing).map((c) => c.channel) ?? [],
      workersNotBeating: publishing?.workers.filter((w) => !w.alive).map((w) => w.worker) ?? [],
      clockOffsets: Object.fromEntries(
        (publishing?.workers ?? []).filter((w) => w.alive).map((w) => [w.worker, w.clockOffsetMs]),
      ),
      skewed: publishing?.skewed.map((w) => w.worker) ?? [],
      ...(writes?.stopped ? { writesStopped: writes.stopped } : {}),
    };
    const ok = database && connected >= 0 && stuck === 0 && publishing!.ok && !writes?.stopped;
    return res.code(ok ? 200 : 503).send(body);
  });
}
