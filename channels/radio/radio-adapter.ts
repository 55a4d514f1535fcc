import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { DateTime } from 'luxon';

import type { ChannelAccount, StartingChannel, Unit } from '../../src/domain/channel';
import { pathUnder } from '../../src/domain/identifier';
import type { Publication } from '../../src/domain/publication';
import { formatLocal, LOCAL_ZONE } from '../../src/domain/time';
import type { AbbreviationDictionary } from '../../src/speech';
import { AbbreviationFileError, loadAbbreviations } from '../../src/speech/dictionary';
import { templateData, TemplateError, type Templates } from '../template';
import {
  type AttemptContext,
  type AudioPreview,
  type ChannelAdapter,
  ChannelError,
  type ChannelPreview,
  type ChannelServices,
  type DraftReading,
  type PostContext,
  type PublishOutcome,
  type TakeDownContext,
  type TakeDownOutcome,
} from '../types';
import { temporaryName, writeAtomically } from './atomic-file';
import { countSyllables } from './breath';
import { FileThread } from './file-thread';
import { commandInstalled, writePreview } from './preview';
import {
  broadcastFor,
  groupIntoSlots,
  type PreviewNote,
  priorityLabel,
  type Programme,
  type ProgrammeEntry,
  programmeNotes,
  timeSlot,
} from './programme';
import { prepareProgrammeDocx, writeProgrammeDocx, writeProgrammeText } from './programme-files';
import { buildScript, formatDuration, readingSeconds, type Script } from './script';
import { type KnownSidecar, readDay, sidecarJson } from './sidecar';
import { parseStationSettings, type StationSettings, StationSettingsError } from './station-settings';

export interface RadioOptions {
  /** The abbreviation dictionary; default templates/abbreviations.tsv, read once, on the first publication. */
  abbreviations?: AbbreviationDictionary;
  /** espeak-ng command for the WAV preview. Default 'espeak-ng' on the PATH. */
  espeakCommand?: string;
  /** Longest a WAV preview may take before it is given up (with a note). Default 30 000 ms. */
  previewTimeoutMs?: number;
  /** The worker's services: `publishedBetween` lets a day's programme be rebuilt from the database when its files were lost. */
  services?: ChannelServices;
  /**
   * How long after a publish the day's programme (.txt and .docx) is rebuilt: one rebuild serves every script
   * published in that time. Default 2 000 ms (the installation's: LOA_RADIO_DOCX_DELAY_MS, given by the descriptor;
   * the name is older than the .txt's joining the .docx).
   */
  docxDelayMs?: number;
}

/** Where a publication goes on air: its broadcast day (local) and the programme note, if any. */
interface OnAir {
  /** Its local time, "HH:mm", and the same as its script's name begins, "HHmm". */
  time: string;
  hhmm: string;
  /** Its local date as written in its script's header, "dd/LL/yyyy" (not the broadcast day's, when that is the next). */
  date: string;
  /** The broadcast day, local midnight, and as its folder is named, "yyyy-LL-dd". */
  day: DateTime;
  isoDay: string;
  note: string | null;
}

const DAY_MS = 86_400_000;

/**
 * Formatted by arithmetic on the fixed offset (formatLocal): the luxon objects this made, five formats and two day
 * sums a publication, called twice a publish, were 4 % of a radio burst's CPU in the profile.
 */
function broadcastOf(scheduledAt: Date, settings: StationSettings): OnAir {
  const time = formatLocal(scheduledAt, 'HH:mm');
  const tomorrow = new Date(scheduledAt.getTime() + DAY_MS);
  const broadcast = broadcastFor(time, settings.slots, formatLocal(tomorrow, 'dd/LL/yyyy'));
  const isoDay = formatLocal(broadcast.nextDay ? tomorrow : scheduledAt, 'yyyy-LL-dd');
  return {
    time,
    hhmm: time.replace(':', ''),
    date: formatLocal(scheduledAt, 'dd/LL/yyyy'),
    day: localDay(isoDay),
    isoDay,
    note: broadcast.note,
  };
}

/** Local midnights by "yyyy-LL-dd": a worker publishes to a few days at a time; the cache starts afresh when full. */
const localDays = new Map<string, DateTime>();
function localDay(isoDay: string): DateTime {
  let day = localDays.get(isoDay);
  if (!day) {
    if (localDays.size >= 1_000) localDays.clear();
    day = DateTime.fromFormat(isoDay, 'yyyy-LL-dd', { zone: LOCAL_ZONE });
    localDays.set(isoDay, day);
  }
  return day;
}

/** Day folders whose sidecars are kept in memory (a worker publishes to a few days of each station at a time). */
const DAYS_KEPT = 500;
/** Openings and closings kept (a few per station and slot); the cache starts afresh when full. */
const FRAMES_KEPT = 2_000;
/** However busy the day, its programme is never older than this while scripts keep arriving. */
const PROGRAMME_MAX_WAIT_MS = 30_000;
const DEFAULT_PROGRAMME_DELAY_MS = 2_000;

/** LOA_RADIO_DOCX_DELAY_MS from the variables the radio's descriptor is given (channels/radio/index.ts). */
export function docxDelayFrom(env: NodeJS.ProcessEnv): number | undefined {
  const value = env.LOA_RADIO_DOCX_DELAY_MS;
  return value && Number(value) >= 0 ? Number(value) : undefined;
}

/**
 * Scripts for a commune loudspeaker station, under <export>/radio/<station>/<day>/: for each publication a script
 * <HHmm>-<publication>.txt written for the ear and its sidecar .json; a .wav preview (espeak-ng) is made beside them
 * the first time someone asks for it (`audioPreview`), never while publishing. The day's programme, <day>.txt and
 * <day>.docx, is rebuilt from the folder once a burst of the day's publications is over (`flush` at once), and a
 * day's stale mark on disk survives a crash until a rebuild. Every file is written whole or not at all, and the same
 * publication always gives the same bytes: idempotent by construction.
 */
export class RadioAdapter implements ChannelAdapter {
  readonly platform = 'radio' as const;
  readonly idempotent = true;
  /** Its posts are Loa's own files: a withdrawal takes them down (`takeDown`). */
  readonly takenDownByWithdrawal = true;
  readonly publishesLocally = true;
  private abbreviations: AbbreviationDictionary | undefined;
  /** Per day folder: the programme rebuild running, and the one that will serve requests arriving meanwhile. */
  private readonly rebuilding = new Map<
    string,
    { running: Promise<void> | undefined; next: Promise<void> | undefined }
  >();
  /** Per day folder: the programme rebuild waiting for its time (and since when it has waited), and the ones under way. */
  private readonly programmeDue = new Map<string, { timer: NodeJS.Timeout; run: () => void; since: number }>();
  private readonly programmeRunning = new Set<Promise<void>>();
  /** Where a publication's script and sidecar are created (file-thread.ts). */
  private readonly files = new FileThread();
  /**
   * Per day folder this process marked stale (markStale): its mark file, the publishes since it was written, and
   * the write itself. Removed with the file once a rebuild read the folder after the last of them.
   */
  private readonly staleDays = new Map<string, { file: string; publishes: number; written: Promise<void> }>();
  /** This process's part of its stale marks' names: its own, so no other process's rebuild removes them. */
  private readonly processMark = `${process.pid}-${randomBytes(3).toString('hex')}`;
  /** The recovery of days left stale by an earlier process, started with the adapter when it publishes for a worker. */
  private readonly recovering: Promise<void> = Promise.resolve();
  /** Per day folder: the folder (inode and birth time) this process last checked against the store; see restoreFromStore. */
  private readonly checkedAgainstStore = new Map<string, string>();
  /** Per day folder, the sidecars read so far by script name (readDay's `known`); the latest DAYS_KEPT folders. */
  private readonly sidecars = new Map<string, Map<string, KnownSidecar>>();
  /** Spoken openings and closings by written text and settings; see frame. */
  private readonly frames = new Map<string, Script>();
  /** Whether espeak-ng is installed, looked up on the first draft reading. */
  private espeakFound: boolean | undefined;

  constructor(
    private readonly templates: Templates,
    private readonly exportDir: string,
    private readonly options: RadioOptions = {},
  ) {
    this.abbreviations = options.abbreviations;
    // Only a worker's adapter (it has the database's services) repairs what an earlier process left stale; the
    // server's and the CLI's read or take down scripts and never wait on it.
    if (options.services?.offAirAmong) {
      prepareProgrammeDocx();
      this.recovering = this.recoverStaleDays().catch((error: Error) =>
        this.warn(`Không dựng lại được chương trình phát còn dở từ lần chạy trước (${error.message})`),
      );
    }
  }

  /** A one-unit set-up has its station from the start: "radio", with the default settings. */
  startingChannel(unit: Unit): StartingChannel {
    return { channel: { id: 'radio', platform: 'radio', name: `Đài truyền thanh ${unit.name}`, settings: {} } };
  }

  checkSettings(settings: Record<string, unknown>): void {
    parseStationSettings(settings);
  }

  /** The written text of the item (templates/radio.liquid); publish turns it into the spoken script. */
  render(post: PostContext): Promise<string> {
    return this.templates.render('radio.liquid', templateData(post));
  }

  /** The script as the station will read it: normalised, laid out for breath, timed at the station's pace. */
  preview(post: PostContext, rendered: string): ChannelPreview {
    const script = buildScript(rendered, this.scriptOptions(this.settings(post)));
    return { text: script.text, seconds: script.seconds, warnings: script.warnings };
  }

  /**
   * Writes the script and its sidecar, fenced by the claim (rule 8 of channels/types.ts): both are written under
   * temporary names and renamed into the day folder only after `attempt.fence()` confirms the claim is still held and
   * the item still approved and not withdrawn; a worker frozen past its lease (and taken over, the item withdrawn
   * meanwhile) finds its fence refused and removes its temporary files. The fence is asked again after the rename: a
   * freeze between the two could show the files after a take-down, so when it fails and the database says the
   * publication is off air, the files are removed again. The programme then lists only what the database says may
   * be on air (see writeProgramme).
   */
  async publish(post: PostContext, rendered: string, attempt?: AttemptContext): Promise<PublishOutcome> {
    const { publication, channel, item } = post;
    const settings = this.settings(post);
    const script = buildScript(rendered, this.scriptOptions(settings));
    const onAir = broadcastOf(publication.scheduledAt, settings);
    const { time, day, note } = onAir;
    const { dayDir, base } = this.scriptPath(publication, channel, settings, onAir);
    // The WAV preview is not made here: espeak-ng costs more than the rest of a publish, and the broadcast does not
    // need it. It is made on the first request (audioPreview).
    const preview: PreviewNote = settings.preview ? { kind: 'on-request' } : { kind: 'off' };
    const warnings = note ? [note, ...script.warnings] : script.warnings;
    const entry: ProgrammeEntry = {
      publicationId: publication.id,
      time,
      title: item.title,
      priority: item.priority,
      text: script.text,
      syllables: script.syllables,
      seconds: script.seconds,
      warnings,
      preview,
    };
    const content = scriptFile(entry, onAir.date, settings);
    // The sidecar goes first: a script file without one would be timed and ordered as thông thường.
    const files: Array<[string, string]> = [
      [`${base}.json`, sidecarJson(entry)],
      [`${base}.txt`, content],
    ];
    // Created on the file thread (file-thread.ts: a new inode is the dearest step here), making the day's folder.
    const temporaries = files.map(([file]) => temporaryName(file));
    try {
      await this.files.write(files.map(([, body], i) => [temporaries[i]!, body]));
      // The day is marked stale on disk before its new script can be seen: a crash before the programme is rebuilt
      // leaves the mark, and the next start rebuilds the day (recoverStaleDays).
      await this.markStale(dayDir, day, post);
      await attempt?.fence();
      for (const [i, [file]] of files.entries()) fs.renameSync(temporaries[i]!, file);
    } catch (error) {
      for (const temporary of temporaries) fs.rmSync(temporary, { force: true });
      throw error;
    }
    try {
      await attempt?.fence();
    } catch (error) {
      await this.undoIfOffAir(post, base, dayDir, day, settings);
      throw error;
    }
    this.rebuildProgrammeSoon(dayDir, day, post, settings);
    return { status: 'sent', externalId: path.relative(this.exportDir, `${base}.txt`), externalUrl: null, content };
  }

  /**
   * The fence failed after the rename: if the database says the publication is off air (withdrawn meanwhile), its
   * files go and the programme is rebuilt without it. Otherwise they stay: the worker that holds the claim now
   * writes the same bytes under the same names.
   */
  private async undoIfOffAir(
    post: PostContext,
    base: string,
    dayDir: string,
    day: DateTime,
    settings: StationSettings,
  ): Promise<void> {
    const off = await this.options.services?.offAirAmong?.(post.channel.id, [post.publication.id]);
    if (!off?.has(post.publication.id)) return;
    for (const extra of ['.txt', '.json', '.wav']) fs.rmSync(`${base}${extra}`, { force: true });
    await this.rebuildProgramme(dayDir, day, post, settings);
  }

  /**
   * The scripts of the day folder whose publication the database says is off air (withdrawn or cancelled, or its item
   * withdrawn) are removed, whoever wrote them: nothing rebuilt from the folder brings a withdrawn script back.
   */
  private async sweepOffAir(dayDir: string, post: StationPost): Promise<void> {
    const ask = this.options.services?.offAirAmong;
    if (!ask || !fs.existsSync(dayDir)) return;
    const bases = new Map<string, string>();
    for (const name of fs.readdirSync(dayDir)) {
      const match = /^(\d{4}-(.+))\.(txt|json)$/.exec(name);
      if (match) bases.set(match[2]!, match[1]!);
    }
    if (bases.size === 0) return;
    for (const id of await ask(post.channel.id, [...bases.keys()])) {
      for (const extra of ['.txt', '.json', '.wav'])
        fs.rmSync(path.join(dayDir, `${bases.get(id)!}${extra}`), { force: true });
    }
  }

  /**
   * A draft's script read in the station's voice (espeak-ng, the same voice and pace as its files), for the desk's
   * listening; nothing is made until the page asks for it.
   */
  reading(text: string, channel: ChannelAccount): DraftReading {
    const command = this.options.espeakCommand ?? 'espeak-ng';
    this.espeakFound ??= commandInstalled(command);
    if (!this.espeakFound)
      return { unavailable: 'máy chủ chưa cài espeak-ng (gói espeak-ng). Bản chữ ở trên là bản đài sẽ đọc.' };
    const settings = parseStationSettings(channel.settings);
    const voice = { voice: settings.voice, wordsPerMinute: settings.syllablesPerMinute };
    return {
      key: JSON.stringify({ text, ...voice }),
      write: async (file) =>
        (await writePreview(text, file, { ...voice, command, timeoutMs: this.options.previewTimeoutMs })).kind ===
        'written',
    };
  }

  /**
   * The WAV of a published script in the station's voice, made with espeak-ng on the first request and kept beside
   * the script (the same script always gives the same file). Nothing to hear yet, previews off, or espeak-ng missing,
   * broken or too slow: the answer says so instead.
   */
  async audioPreview(publication: Publication, channel: ChannelAccount): Promise<AudioPreview> {
    const settings = this.settings({ channel });
    const { base } = this.scriptPath(publication, channel, settings);
    const wav = `${base}.wav`;
    if (fs.existsSync(wav)) return { file: wav, contentType: 'audio/wav' };
    if (!settings.preview) return { unavailable: `đài "${channel.name}" đã tắt bản nghe thử (preview: false)` };
    const entry = readDay(path.dirname(base), settings.syllablesPerMinute).find(
      (e) => e.publicationId === publication.id,
    );
    if (!entry) return { unavailable: 'bài này chưa có kịch bản phát thanh (chưa đăng)' };
    const note = await writePreview(entry.text, wav, {
      voice: settings.voice,
      wordsPerMinute: settings.syllablesPerMinute,
      command: this.options.espeakCommand,
      timeoutMs: this.options.previewTimeoutMs,
    });
    if (note.kind === 'written') return { file: wav, contentType: 'audio/wav' };
    if (note.kind === 'absent') return { unavailable: 'máy chưa cài espeak-ng: không có bản nghe thử WAV' };
    return { unavailable: `không tạo được bản nghe thử WAV (${note.kind === 'failed' ? note.reason : note.kind})` };
  }

  /**
   * A withdrawn script off the station. Its .txt, what the announcer reads, goes first: if it cannot be removed nothing
   * else is touched and the answer says so. Then its sidecar and WAV preview, and the day's programme is rebuilt
   * from the folder without it, .txt and .docx now (a withdrawal does not wait for the day's next publish). The
   * database already says `withdrawn`, so `restoreFromStore` (which restores only `published`) never writes it back.
   */
  async takeDown(post: TakeDownContext): Promise<TakeDownOutcome> {
    const { publication, channel } = post;
    const station = `Đài "${channel.name}"`;
    let settings: StationSettings;
    try {
      settings = this.settings(post);
    } catch (error) {
      return {
        status: 'left',
        reason: `${(error as Error).message}; không gỡ được kịch bản bài ${publication.id}: hãy xoá kịch bản và bỏ bài khỏi chương trình phát bằng tay`,
      };
    }
    const base = this.writtenBase(publication, channel, settings);
    const dayDir = path.dirname(base);
    const day = DateTime.fromFormat(path.basename(dayDir), 'yyyy-LL-dd', { zone: LOCAL_ZONE });
    const date = day.isValid ? day.toFormat('dd/LL/yyyy') : path.basename(dayDir);
    const script = path.relative(this.exportDir, `${base}.txt`);
    if (!fs.existsSync(`${base}.txt`)) {
      // Published a moment ago, so its script should be here: absent, the export folder is likely another machine's.
      return {
        status: 'left',
        reason: `${station}: không thấy kịch bản ${script} trong thư mục xuất ${this.exportDir} của máy này (thư mục xuất có thể ở máy khác): hãy xoá kịch bản đó và bỏ bài khỏi chương trình ngày ${date} bằng tay, trước giờ phát`,
      };
    }
    try {
      fs.rmSync(`${base}.txt`, { force: true });
    } catch (error) {
      return {
        status: 'left',
        reason: `${station}: không xoá được kịch bản ${script} (${fileTrouble(error)}): hãy xoá tệp đó và bỏ bài khỏi chương trình ngày ${date} bằng tay, trước giờ phát`,
      };
    }
    const leftovers: string[] = [];
    for (const extra of [`${base}.json`, `${base}.wav`]) {
      try {
        fs.rmSync(extra, { force: true });
      } catch (error) {
        leftovers.push(`${path.basename(extra)} (${fileTrouble(error)})`);
      }
    }
    if (!day.isValid)
      return {
        status: 'left',
        reason: `${station}: đã xoá kịch bản ${script} nhưng thư mục ngày "${path.basename(dayDir)}" không đúng dạng năm-tháng-ngày: hãy bỏ bài khỏi chương trình phát bằng tay`,
      };
    try {
      await this.rebuildProgramme(dayDir, day, post, settings);
    } catch (error) {
      return {
        status: 'left',
        reason: `${station}: đã xoá kịch bản ${script} nhưng không viết lại được chương trình ngày ${date} (${fileTrouble(error)}): hãy bỏ bài khỏi chương trình (.txt và .docx) bằng tay, trước giờ phát`,
      };
    }
    if (leftovers.length)
      return {
        status: 'left',
        reason: `${station}: đã gỡ kịch bản ${script} khỏi chương trình ngày ${date}, nhưng còn tệp ${leftovers.join(', ')}: hãy xoá bằng tay`,
      };
    return { status: 'removed' };
  }

  /**
   * Where the script was written: the path recorded as its external id when it was published (the station's slots
   * may have changed since, moving a late-evening script's broadcast day), else where it would be written now.
   */
  private writtenBase(publication: Publication, channel: ChannelAccount, settings: StationSettings): string {
    const fresh = this.scriptPath(publication, channel, settings).base;
    const recorded = publication.externalId;
    if (!recorded?.endsWith('.txt')) return fresh;
    try {
      const file = pathUnder(this.exportDir, recorded);
      // Only a script of this station: an id recorded elsewhere never names another file to delete.
      if (
        path.dirname(path.dirname(file)) !== pathUnder(this.exportDir, 'radio', channel.id) ||
        !path.basename(file).endsWith(`-${publication.id}.txt`)
      )
        return fresh;
      return fs.existsSync(file) || !fs.existsSync(`${fresh}.txt`) ? file.slice(0, -'.txt'.length) : fresh;
    } catch {
      return fresh; // an id leading outside the export folder: ignored, never followed
    }
  }

  /** Built under the export folder and checked: a channel or publication id can never lead outside it. */
  private scriptPath(
    publication: Publication,
    channel: ChannelAccount,
    settings: StationSettings,
    onAir = broadcastOf(publication.scheduledAt, settings),
  ): { dayDir: string; base: string } {
    // The folder is the broadcast day: a late-evening script goes on air, and into the programme, of the next morning.
    const dayDir = pathUnder(this.exportDir, 'radio', channel.id, onAir.isoDay);
    return { dayDir, base: pathUnder(dayDir, `${onAir.hhmm}-${publication.id}`) };
  }

  private settings(post: Pick<PostContext, 'channel'>): StationSettings {
    try {
      return parseStationSettings(post.channel.settings);
    } catch (error) {
      // Retrying cannot fix a wrong setting; the station's account must be corrected by a person.
      if (error instanceof StationSettingsError)
        throw new ChannelError('reconnect', `Đài "${post.channel.name}": ${error.message}`);
      throw error;
    }
  }

  private scriptOptions(settings: StationSettings) {
    return {
      dialect: settings.dialect,
      abbreviations: this.dictionary(),
      syllablesPerMinute: settings.syllablesPerMinute,
      breathSyllables: settings.breathSyllables,
    };
  }

  private dictionary(): AbbreviationDictionary {
    if (!this.abbreviations) {
      try {
        this.abbreviations = loadAbbreviations();
      } catch (error) {
        // The dictionary is edited by officers like a template: a broken line stops radio publishing, not retries.
        if (error instanceof AbbreviationFileError)
          throw new TemplateError(error.file, error.line, error.message.replace(/^.*?dòng \d+: /, ''));
        throw error;
      }
    }
    return this.abbreviations;
  }

  /**
   * Rebuilds of one programme run one after another in this process, and requests that arrive while one runs are
   * served by a single next rebuild (it reads the folder after they wrote their scripts): a burst of a slot's
   * publications rebuilds the programme about twice, not once per script.
   */
  private rebuildProgramme(dayDir: string, day: DateTime, post: StationPost, settings: StationSettings): Promise<void> {
    const state = this.rebuilding.get(dayDir);
    if (state?.next) return state.next;
    const after = state?.running ?? Promise.resolve();
    const next: Promise<void> = after
      .catch(() => undefined)
      .then(() => {
        const current = this.rebuilding.get(dayDir)!;
        current.running = next;
        current.next = undefined;
        return this.writeProgramme(dayDir, day, post, settings);
      })
      .finally(() => {
        const current = this.rebuilding.get(dayDir);
        if (current && current.running === next && !current.next) this.rebuilding.delete(dayDir);
      });
    if (state) state.next = next;
    else this.rebuilding.set(dayDir, { running: undefined, next });
    return next;
  }

  /**
   * The day's programme, .txt and .docx, is rebuilt once a burst is over, off the publish path: reading the day's
   * folder and writing the whole programme cost more than the rest of a radio publish and grew with the day. Each
   * publish of the day moves the rebuild `docxDelayMs` later, but never more than PROGRAMME_MAX_WAIT_MS after the
   * first script it waits for, so a steady stream still refreshes the programme. The day's stale mark (markStale) is
   * removed once a rebuild has read the folder after the day's last publish in this process; stopping the worker
   * flushes what is due, and after a crash the mark left on disk has the next start rebuild the day.
   */
  private rebuildProgrammeSoon(dayDir: string, day: DateTime, post: StationPost, settings: StationSettings): void {
    const delay = this.options.docxDelayMs ?? DEFAULT_PROGRAMME_DELAY_MS;
    const due = this.programmeDue.get(dayDir);
    const since = due?.since ?? Date.now();
    if (due) clearTimeout(due.timer);
    const run = () => {
      this.programmeDue.delete(dayDir);
      const stale = this.staleDays.get(dayDir);
      const publishes = stale?.publishes;
      const work = this.rebuildProgramme(dayDir, day, post, settings)
        .then(async () => {
          // A publish of the day after this rebuild was asked for waits for its own rebuild, and keeps the mark.
          if (!stale || this.staleDays.get(dayDir) !== stale || stale.publishes !== publishes) return;
          this.staleDays.delete(dayDir);
          // unlink, not rm: `fs.promises.rm` walks the path as a tree (an lstat and more) and cost ~1.5 ms a mark.
          await fs.promises.unlink(stale.file).catch((error: NodeJS.ErrnoException) => {
            if (error.code !== 'ENOENT') throw error;
          });
        })
        // Nobody waits on this rebuild: its failure goes to the worker's log; the mark stays for the next try.
        .catch((error: Error) => {
          this.warn(
            `Đài "${post.channel.name}": không ghi được chương trình phát ngày ${day.toFormat('dd/LL/yyyy')} (${error.message}); sẽ thử lại ở bài sau hoặc khi khởi động lại`,
          );
        })
        .finally(() => this.programmeRunning.delete(work));
      this.programmeRunning.add(work);
    };
    const wait = Math.max(0, Math.min(delay, since + Math.max(delay, PROGRAMME_MAX_WAIT_MS) - Date.now()));
    this.programmeDue.set(dayDir, { timer: setTimeout(run, wait).unref(), run, since });
  }

  /**
   * Marks the station's day stale on disk: <station>/<day>.<process>.stale, written once per burst (while this
   * process has the day marked), with what the rebuild needs (the station and its unit), so a process started after
   * a crash can rebuild the day without a publication to hand. Each process has its own mark: one process's rebuild
   * never removes the mark of a script another process wrote and has not rebuilt for yet.
   */
  private async markStale(dayDir: string, day: DateTime, post: StationPost): Promise<void> {
    const known = this.staleDays.get(dayDir);
    if (known) {
      known.publishes += 1;
      await known.written;
      return;
    }
    const file = `${dayDir}.${this.processMark}.stale`;
    const { id, unitId, platform, name, settings } = post.channel;
    const mark: StaleMark = {
      day: day.toFormat('yyyy-LL-dd'),
      channel: { id, unitId, platform, name, settings },
      unit: post.unit,
    };
    const written = fs.promises.writeFile(file, `${JSON.stringify(mark)}\n`);
    const entry = { file, publishes: 1, written };
    this.staleDays.set(dayDir, entry);
    try {
      await written;
    } catch (error) {
      if (this.staleDays.get(dayDir) === entry) this.staleDays.delete(dayDir);
      throw error;
    }
  }

  /**
   * The days a process left stale (it stopped between a publish and the programme's rebuild: a crash, a kill) are
   * rebuilt, .txt and .docx, from their folders and the database, and their marks removed. Run once when the adapter
   * is made for a worker (it has the database's services); `flush` waits for it.
   */
  async recoverStaleDays(): Promise<void> {
    const root = path.join(this.exportDir, 'radio');
    let stations: string[];
    try {
      stations = await fs.promises.readdir(root);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const station of stations) {
      let names: string[];
      try {
        names = await fs.promises.readdir(path.join(root, station));
      } catch {
        continue; // not a folder
      }
      const marks = new Map<string, string[]>();
      for (const name of names) {
        const match = /^(\d{4}-\d\d-\d\d)\.[^.]+\.stale$/.exec(name);
        if (match) marks.set(match[1]!, [...(marks.get(match[1]!) ?? []), name]);
      }
      for (const [isoDay, files] of marks) {
        const dayDir = path.join(root, station, isoDay);
        // This process's own marks of days it is about to rebuild are left to that rebuild.
        if (this.staleDays.has(dayDir)) continue;
        try {
          const mark = JSON.parse(await fs.promises.readFile(path.join(root, station, files[0]!), 'utf8')) as StaleMark;
          const post: StationPost = { channel: mark.channel, unit: mark.unit };
          const settings = parseStationSettings(mark.channel.settings);
          const day = DateTime.fromFormat(isoDay, 'yyyy-LL-dd', { zone: LOCAL_ZONE });
          await this.rebuildProgramme(dayDir, day, post, settings);
          for (const file of files) await fs.promises.rm(path.join(root, station, file), { force: true });
        } catch (error) {
          this.warn(
            `Đài "${station}": không dựng lại được chương trình phát ngày ${isoDay} còn dở từ lần chạy trước (${(error as Error).message}); sẽ thử lại khi khởi động lại`,
          );
        }
      }
    }
  }

  /** Rebuilds now every programme still due, and waits for those under way (and for the recovery at start). */
  async flush(): Promise<void> {
    await this.recovering;
    for (const due of [...this.programmeDue.values()]) {
      clearTimeout(due.timer);
      due.run();
    }
    await Promise.all([...this.programmeRunning]);
    await this.files.close();
  }

  private warn(message: string): void {
    if (this.options.services?.warn) this.options.services.warn(message);
    else console.error(message);
  }

  /**
   * Another process may add a script to the day while this one builds the programme from the folder: the build is
   * repeated until the folder is still the one it was built from, so the last programme written lists every script.
   * What the database says is off air is removed from the folder after each build (sweepOffAir), and the build is
   * repeated without it, so the last programme written lists only what may be on air, even when this process was
   * frozen while a withdrawal took it down. The .txt and the .docx are written from the same build.
   */
  private async writeProgramme(
    dayDir: string,
    day: DateTime,
    post: StationPost,
    settings: StationSettings,
  ): Promise<void> {
    await this.restoreFromStore(dayDir, day, post, settings);
    for (let round = 0; ; round++) {
      const before = daySignature(dayDir);
      const programme = await this.buildProgramme(dayDir, day, post, settings);
      writeProgrammeText(dayDir, programme);
      await writeProgrammeDocx(dayDir, programme, day.toFormat('yyyy-LL-dd'));
      // Read the database after writing (one query per build): a script the database says is off air (withdrawn
      // while this process was frozen or slow) is removed, which changes the folder, and the programme is built
      // again without it.
      await this.sweepOffAir(dayDir, post);
      if (daySignature(dayDir) === before || round >= 20) return;
    }
  }

  /**
   * The database is the source of truth, the folder a copy: a script of this broadcast day published earlier whose
   * files are gone (the export folder deleted or moved) is written again from what was published, stored with its
   * outcome, so the rebuilt programme keeps the day's earlier scripts. Its .txt is byte for byte what was published.
   */
  private async restoreFromStore(
    dayDir: string,
    day: DateTime,
    post: StationPost,
    settings: StationSettings,
  ): Promise<void> {
    // Scripts go missing when the folder is deleted or moved: once this process has checked a day's folder against
    // the store, it checks again only when the folder is another one. Checking on every publish read the whole
    // day from the store each time, which made a station's day quadratic.
    const folder = folderIdentity(dayDir);
    if (folder && this.checkedAgainstStore.get(dayDir) === folder) return;
    await this.restoreMissing(dayDir, day, post, settings);
    const checked = folderIdentity(dayDir);
    if (checked) this.checkedAgainstStore.set(dayDir, checked);
  }

  private async restoreMissing(
    dayDir: string,
    day: DateTime,
    post: StationPost,
    settings: StationSettings,
  ): Promise<void> {
    const published = await this.options.services?.publishedBetween?.(
      post.channel.id,
      day.minus({ days: 1 }).toJSDate(),
      day.plus({ days: 1 }).toJSDate(),
    );
    for (const stored of published ?? []) {
      const where = broadcastOf(stored.scheduledAt, settings);
      if (stored.publicationId === post.publication?.id || !where.day.equals(day)) continue;
      const base = pathUnder(dayDir, `${where.hhmm}-${stored.publicationId}`);
      if (fs.existsSync(`${base}.txt`)) continue;
      const text = stored.content.split('\n\n').slice(1).join('\n\n').trim() || stored.content.trim();
      const syllables = countSyllables(text);
      const warnings = ['khôi phục từ cơ sở dữ liệu: tệp kịch bản đã mất', ...(where.note ? [where.note] : [])];
      const entry: ProgrammeEntry = {
        publicationId: stored.publicationId,
        time: where.time,
        title: stored.title,
        priority: stored.priority,
        text,
        syllables,
        seconds: readingSeconds(syllables, settings.syllablesPerMinute),
        warnings,
        preview: { kind: 'off' },
      };
      fs.mkdirSync(dayDir, { recursive: true });
      writeAtomically(`${base}.json`, sidecarJson(entry));
      writeAtomically(`${base}.txt`, stored.content);
    }
  }

  private async buildProgramme(
    dayDir: string,
    day: DateTime,
    post: StationPost,
    settings: StationSettings,
  ): Promise<Programme> {
    const date = day.toFormat('dd/LL/yyyy');
    const entries = readDay(dayDir, settings.syllablesPerMinute, this.sidecarsOf(dayDir));
    const slots = [];
    for (const plan of groupIntoSlots(entries, settings.slots)) {
      const data = {
        channel: { id: post.channel.id, name: post.channel.name },
        unit: { id: post.unit.id, name: post.unit.name },
        day: { date },
        slot: { name: plan.slot.name, start: plan.slot.start, minutes: plan.slot.minutes, count: plan.entries.length },
      };
      const opening = this.frame(await this.templates.render('radio-opening.liquid', data), settings);
      const closing = this.frame(await this.templates.render('radio-closing.liquid', data), settings);
      slots.push(timeSlot(plan, opening, closing));
    }
    return { stationName: post.channel.name, date, slots, notes: programmeNotes(slots) };
  }

  /**
   * A slot's opening or closing as spoken. The day's programme is rebuilt after every publish and its frames are the
   * same few texts each time: they are kept by their written text (an edited template gives a new text) and the
   * station's settings, instead of being normalised for the ear again.
   */
  private sidecarsOf(dayDir: string): Map<string, KnownSidecar> {
    let known = this.sidecars.get(dayDir);
    if (!known) {
      if (this.sidecars.size >= DAYS_KEPT) this.sidecars.delete(this.sidecars.keys().next().value!);
      known = new Map();
      this.sidecars.set(dayDir, known);
    }
    return known;
  }

  private frame(written: string, settings: StationSettings): Script {
    const key = `${JSON.stringify(settings)}\n${written}`;
    let script = this.frames.get(key);
    if (!script) {
      if (this.frames.size >= FRAMES_KEPT) this.frames.clear();
      script = buildScript(written, this.scriptOptions(settings));
      this.frames.set(key, script);
    }
    return script;
  }
}

/** Which folder this is: a folder deleted and made again is another one, even if the system reuses its inode. */
function folderIdentity(dayDir: string): string | undefined {
  try {
    const stat = fs.statSync(dayDir);
    // Without a birth time (some file systems) a reused inode could not be told apart: check every time.
    return stat.birthtimeMs ? `${stat.ino}:${stat.birthtimeMs}` : undefined;
  } catch {
    return undefined;
  }
}

/** The station's post as the programme needs it: the channel, its unit, and which publication asked, if one did. */
type StationPost = Pick<TakeDownContext, 'channel' | 'unit'> & { publication?: Pick<Publication, 'id'> };

/** What a stale day's mark holds: the station and its unit, for a rebuild with no publication to hand. */
interface StaleMark {
  day: string;
  channel: ChannelAccount;
  unit: Unit;
}

/** Why a file could not be removed or written, in a few Vietnamese words, keeping the system's code. */
function fileTrouble(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    EACCES: 'không có quyền',
    EPERM: 'không được phép',
    EROFS: 'ổ đĩa chỉ cho đọc',
    EISDIR: 'đường dẫn là một thư mục',
    ERR_FS_EISDIR: 'đường dẫn là một thư mục',
    EBUSY: 'tệp đang được mở',
    ENOSPC: 'ổ đĩa đầy',
  };
  return code && known[code] ? `${known[code]}, ${code}` : (code ?? (error as Error).message);
}

/**
 * The day folder's scripts and sidecars, by name: changes when a script is added, restored or taken down. Sizes are no
 * longer read (300 of them twice on every rebuild made the day's last publish cost twice its first): a script
 * rewritten under its name by another process at the same moment is the one case this does not see, and that process
 * rebuilds the programme itself after writing it.
 */
function daySignature(dayDir: string): string {
  if (!fs.existsSync(dayDir)) return '';
  return fs
    .readdirSync(dayDir)
    .filter((name) => name.endsWith('.txt') || name.endsWith('.json'))
    .sort()
    .join('\n');
}

/** The script file: one header line for the announcer (not read on air), a blank line, then what is read. */
function scriptFile(entry: ProgrammeEntry, date: string, settings: StationSettings): string {
  const header =
    `Mức ưu tiên: ${priorityLabel(entry.priority)} · Phát lúc ${entry.time} ngày ${date} · ` +
    `đọc khoảng ${formatDuration(entry.seconds)} (${entry.syllables} âm tiết, ${settings.syllablesPerMinute} âm tiết/phút)`;
  return `${header}\n\n${entry.text}\n`;
}
