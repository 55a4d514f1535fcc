import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { writePreview } from '../../../channels/radio/preview';
import { parseStationSettings } from '../../../channels/radio/station-settings';
import type { ChannelAccount } from '../../domain/channel';

/** What a preview that is heard offers: a WAV to play in the page, or a note saying why not. */
export type Listening = { url: string; note: null } | { url: null; note: string };

interface Pending {
  text: string;
  voice: string;
  wordsPerMinute: number;
}

/** Scripts offered for listening and not yet asked for; the oldest are forgotten first (each is a few KB of text). */
const REMEMBERED = 500;
const WAV_NAME = /^[0-9a-f]{64}\.wav$/;

function onPath(command: string): boolean {
  if (command.includes('/')) return fs.existsSync(command);
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .some((dir) => dir !== '' && fs.existsSync(path.join(dir, command)));
}

/**
 * The radio script as a WAV the officer can play in the page. The synthesis is the radio channel's own
 * (`channels/radio/preview.ts`, the same espeak-ng call, voice and pace as the station's files), run only when the
 * page's <audio> asks for it, and cached on disk by a hash of text, voice and pace: the same script is made once.
 */
export class RadioAudio {
  private readonly pending = new Map<string, Pending>();
  private readonly making = new Map<string, Promise<string | null>>();
  readonly installed: boolean;

  constructor(
    private readonly cacheDir: string,
    private readonly command = 'espeak-ng',
  ) {
    this.installed = onPath(command);
  }

  /** Offers `text`, as read by `channel`'s station, for listening; its URL is stable for the same script. */
  offer(text: string, channel: ChannelAccount): Listening {
    if (!this.installed)
      return {
        url: null,
        note: 'Chưa nghe thử được: máy chủ chưa cài espeak-ng (gói espeak-ng). Bản chữ ở trên là bản đài sẽ đọc.',
      };
    let settings;
    try {
      settings = parseStationSettings(channel.settings);
    } catch (error) {
      return { url: null, note: `Chưa nghe thử được: ${(error as Error).message}` };
    }
    const request: Pending = { text, voice: settings.voice, wordsPerMinute: settings.syllablesPerMinute };
    const hash = createHash('sha256').update(JSON.stringify(request)).digest('hex');
    this.pending.delete(hash);
    this.pending.set(hash, request);
    if (this.pending.size > REMEMBERED) this.pending.delete(this.pending.keys().next().value!);
    return { url: `/desk/nghe-thu/${hash}.wav`, note: null };
  }

  /** The WAV file for a name `offer` gave, made on first request; null when unknown, or when espeak-ng failed. */
  async file(name: string): Promise<string | null> {
    if (!WAV_NAME.test(name)) return null;
    const file = path.join(this.cacheDir, name);
    if (fs.existsSync(file)) return file;
    const hash = name.slice(0, 64);
    const request = this.pending.get(hash);
    if (!request) return null;
    // Two plays of the same script at once share one synthesis.
    let made = this.making.get(hash);
    if (!made) {
      made = writePreview(request.text, file, {
        voice: request.voice,
        wordsPerMinute: request.wordsPerMinute,
        command: this.command,
      }).then((note) => (note.kind === 'written' ? file : null));
      this.making.set(hash, made);
      void made.finally(() => this.making.delete(hash));
    }
    return made;
  }
}
