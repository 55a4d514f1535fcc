import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import type { Adapters } from '../../../channels';
import type { ChannelAccount } from '../../domain/channel';

/** What a preview that is heard offers: a WAV to play in the page, or a note saying why not. */
export type Listening = { url: string; note: null } | { url: null; note: string };

/** Readings offered for listening and not yet asked for; the oldest are forgotten first (each is a few KB of text). */
const REMEMBERED = 500;
const WAV_NAME = /^[0-9a-f]{64}\.wav$/;

/**
 * A draft as the officer will hear it, played in the page. The reading is the channel's own (its adapter's `reading`:
 * for a station, the same synthesiser, voice and pace as its files), made only when the page's <audio> asks for it,
 * and cached on disk by a hash of the reading: the same script is made once.
 */
export class DraftAudio {
  private readonly pending = new Map<string, (file: string) => Promise<boolean>>();
  private readonly making = new Map<string, Promise<string | null>>();

  constructor(
    private readonly cacheDir: string,
    private readonly adapters: Adapters,
  ) {}

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
    if (this.pending.size > REMEMBERED) this.pending.delete(this.pending.keys().next().value!);
    return { url: `/desk/nghe-thu/${hash}.wav`, note: null };
  }

  /** The WAV file for a name `offer` gave, made on first request; null when unknown, or when it could not be made. */
  async file(name: string): Promise<string | null> {
    if (!WAV_NAME.test(name)) return null;
    const file = path.join(this.cacheDir, name);
    if (fs.existsSync(file)) return file;
    const hash = name.slice(0, 64);
    const write = this.pending.get(hash);
    if (!write) return null;
    // Two plays of the same script at once share one synthesis.
    let made = this.making.get(hash);
    if (!made) {
      made = write(file).then((written) => (written ? file : null));
      this.making.set(hash, made);
      void made.finally(() => this.making.delete(hash));
    }
    return made;
  }
}
