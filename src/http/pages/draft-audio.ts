import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Adapters } from '../../../channels';
import { type Actor, seesUnit } from '../../domain/access';
import type { ChannelAccount } from '../../domain/channel';

/** What a preview that is heard offers: a WAV to play in the page, or a note saying why not. */
export type Listening = { url: string; note: null } | { url: null; note: string };

/** Readings offered for listening and not yet asked for; the oldest are forgotten first (each is a few KB of text). */
const REMEMBERED = 500;
const WAV_NAME = /^[0-9a-f]{64}\.wav$/;

export interface DraftAudioLimits {
  /** Most bytes the cached readings may take together; the least recently made go first. Default 500 MB. */
  maxBytes?: number;
  /** Oldest a cached reading may be before it is deleted. Default 7 days. */
  maxAgeMs?: number;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * A draft as the officer will hear it, played in the page. The reading is the channel's own (its adapter's `reading`:
 * for a station, the same synthesiser, voice and pace as its files), made only when the page's <audio> asks for it,
 * and cached on disk by a hash of the reading: the same script is made once.
 */
export class DraftAudio {
  private readonly pending = new Map<string, (file: string) => Promise<boolean>>();
  /** The units each reading was offered to: only their people (and admins) may hear it. */
  private readonly offeredTo = new Map<string, Set<string>>();
  private readonly making = new Map<string, Promise<string | null>>();
  private readonly maxBytes: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(
    private readonly cacheDir: string,
    private readonly adapters: Adapters,
    limits: DraftAudioLimits = {},
  ) {
    this.maxBytes = limits.maxBytes ?? 500 * 1024 * 1024;
    this.maxAgeMs = limits.maxAgeMs ?? 7 * 24 * 3600 * 1000;
    this.now = limits.now ?? Date.now;
  }

  /** Offers `text`, as read on `channel`, for listening; its URL is stable for the same reading. */
  offer(text: string, channel: ChannelAccount): Listening {
    let reading;
    try {
      reading = this.adapters[channel.platform]?.reading?.(text, channel);
    } catch (error) {
      return { url: null, note: `Chưa nghe thử được: ${(error as Error).message}` };
    }
    if (!reading) return { url: null, note: 'Kênh này không có bản nghe thử.' };
    if ('unavailable' in reading) return { url: null, note: `Chưa nghe thử được: ${reading.unavailable}` };
    const hash = createHash('sha256')
      .update(JSON.stringify([channel.platform, reading.key]))
      .digest('hex');
    this.pending.delete(hash);
    this.pending.set(hash, reading.write);
    const units = this.offeredTo.get(hash) ?? new Set<string>();
    this.offeredTo.delete(hash);
    this.offeredTo.set(hash, units.add(channel.unitId));
    if (this.pending.size > REMEMBERED) this.pending.delete(this.pending.keys().next().value!);
    if (this.offeredTo.size > REMEMBERED) this.offeredTo.delete(this.offeredTo.keys().next().value!);
    return { url: `/desk/nghe-thu/${hash}.wav`, note: null };
  }

  /**
   * The WAV file for a name `offer` gave, made on first request; null when unknown, offered only to units `actor`
   * does not see (another unit's draft reads as missing, like everything of another unit), or when it could not be
   * made.
   */
  async file(name: string, actor: Actor): Promise<string | null> {
    if (!WAV_NAME.test(name)) return null;
    const hash = name.slice(0, 64);
    const units = [...(this.offeredTo.get(hash) ?? [])];
    if (!units.some((unit) => seesUnit(actor, unit))) return null;
    const file = path.join(this.cacheDir, name);
    if (fs.existsSync(file)) return file;
    const write = this.pending.get(hash);
    if (!write) return null;
    // Two plays of the same script at once share one synthesis.
    let made = this.making.get(hash);
    if (!made) {
      made = write(file).then((written) => {
        this.prune(file);
        return written && fs.existsSync(file) ? file : null;
      });
      this.making.set(hash, made);
      void made.finally(() => this.making.delete(hash));
    }
    return made;
  }

  /**
   * Keeps the cache bounded (every distinct draft makes a file, and a long one makes tens of MB): readings older than
   * the age limit go, then the least recently made until the rest fit the size limit. The one just made (`keep`)
   * stays for the request that asked for it, even alone over the limit; it goes at the next pruning.
   */
  prune(keep?: string): void {
    let files: Array<{ file: string; size: number; made: number }>;
    try {
      files = fs
        .readdirSync(this.cacheDir)
        .filter((name) => WAV_NAME.test(name))
        .map((name) => {
          const file = path.join(this.cacheDir, name);
          const stat = fs.statSync(file);
          return { file, size: stat.size, made: stat.mtimeMs };
        })
        .sort((a, b) => b.made - a.made);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // nothing cached yet, or removed meanwhile
      throw error;
    }
    let total = 0;
    for (const entry of files) {
      total += entry.size;
      const old = this.now() - entry.made > this.maxAgeMs;
      if (entry.file !== keep && (old || total > this.maxBytes)) {
        fs.rmSync(entry.file, { force: true });
        total -= entry.size;
      }
    }
  }
}
