import fs from 'node:fs';
import path from 'node:path';
import { pathUnder } from '../../src/domain/identifier';
import { formatLocal } from '../../src/domain/time';
import { AbbreviationFileError, loadAbbreviations } from '../../src/speech/dictionary';
import type { AbbreviationDictionary } from '../../src/speech';
import { TemplateError, templateData, type Templates } from '../template';
import { ChannelError, type ChannelAdapter, type ChannelPreview, type PostContext, type PublishOutcome } from '../types';
import { writeAtomically } from './atomic-file';
import { writePreview } from './preview';
import { groupIntoSlots, priorityLabel, programmeNotes, timeSlot, type PreviewNote, type Programme, type ProgrammeEntry } from './programme';
import { writeProgrammeFiles } from './programme-files';
import { buildScript, formatDuration, type Script } from './script';
import { readDay, sidecarJson } from './sidecar';
import { parseStationSettings, StationSettingsError, type StationSettings } from './station-settings';

export interface RadioOptions {
  /** The abbreviation dictionary; default templates/abbreviations.tsv, read once, on the first publication. */
  abbreviations?: AbbreviationDictionary;
  /** espeak-ng command for the WAV preview. Default 'espeak-ng' on the PATH. */
  espeakCommand?: string;
  /** Longest a WAV preview may take before it is given up (with a note). Default 30 000 ms. */
  previewTimeoutMs?: number;
}

/**
 * Scripts for a commune loudspeaker station, under <export>/radio/<station>/<day>/: for each publication a script
 * <HHmm>-<publication>.txt written for the ear, its sidecar .json and, with espeak-ng, a .wav preview. The day's
 * programme <day>.txt and <day>.docx is rebuilt from the folder after each one. Every file is written whole or not
 * at all, and the same publication always gives the same bytes: idempotent by construction.
 */
export class RadioAdapter implements ChannelAdapter {
  readonly platform = 'radio' as const;
  readonly idempotent = true;
  /** Its posts are Loa's own (feed entries, post pages): a withdrawal takes them down. */
  readonly takenDownByWithdrawal = true;
  private abbreviations: AbbreviationDictionary | undefined;
  /** Per day folder: the programme rebuild running, and the one that will serve requests arriving meanwhile. */
  private readonly rebuilding = new Map<string, { running: Promise<void> | undefined; next: Promise<void> | undefined }>();

  constructor(
    private readonly templates: Templates,
    private readonly exportDir: string,
    private readonly options: RadioOptions = {},
  ) {
    this.abbreviations = options.abbreviations;
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

  async publish(post: PostContext, rendered: string): Promise<PublishOutcome> {
    const { publication, channel, item } = post;
    const settings = this.settings(post);
    const script = buildScript(rendered, this.scriptOptions(settings));
    // Built under the export folder and checked: a channel or publication id can never lead outside it.
    const dayDir = pathUnder(this.exportDir, 'radio', channel.id, formatLocal(publication.scheduledAt, 'yyyy-LL-dd'));
    const base = pathUnder(dayDir, `${formatLocal(publication.scheduledAt, 'HHmm')}-${publication.id}`);

    const preview: PreviewNote = settings.preview
      ? await writePreview(script.text, `${base}.wav`, { voice: settings.voice, wordsPerMinute: settings.syllablesPerMinute, command: this.options.espeakCommand, timeoutMs: this.options.previewTimeoutMs })
      : { kind: 'off' };
    const time = formatLocal(publication.scheduledAt, 'HH:mm');
    const entry: ProgrammeEntry = { publicationId: publication.id, time, title: item.title, priority: item.priority, text: script.text, syllables: script.syllables, seconds: script.seconds, warnings: script.warnings, preview };
    // The sidecar goes first: a script file without one would be timed and ordered as thông thường.
    writeAtomically(`${base}.json`, sidecarJson(entry));
    const content = scriptFile(entry, formatLocal(publication.scheduledAt, 'dd/LL/yyyy'), settings);
    writeAtomically(`${base}.txt`, content);
    await this.rebuildProgramme(dayDir, post, settings);
    return { status: 'sent', externalId: path.relative(this.exportDir, `${base}.txt`), externalUrl: null, content };
  }

  private settings(post: PostContext): StationSettings {
    try {
      return parseStationSettings(post.channel.settings);
    } catch (error) {
      // Retrying cannot fix a wrong setting; the station's account must be corrected by a person.
      if (error instanceof StationSettingsError) throw new ChannelError('reconnect', `Đài "${post.channel.name}": ${error.message}`);
      throw error;
    }
  }

  private scriptOptions(settings: StationSettings) {
    return { dialect: settings.dialect, abbreviations: this.dictionary(), syllablesPerMinute: settings.syllablesPerMinute, breathSyllables: settings.breathSyllables };
  }

  private dictionary(): AbbreviationDictionary {
    if (!this.abbreviations) {
      try {
        this.abbreviations = loadAbbreviations();
      } catch (error) {
        // The dictionary is edited by officers like a template: a broken line stops radio publishing, not retries.
        if (error instanceof AbbreviationFileError) throw new TemplateError(error.file, error.line, error.message.replace(/^.*?dòng \d+: /, ''));
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
  private rebuildProgramme(dayDir: string, post: PostContext, settings: StationSettings): Promise<void> {
    const state = this.rebuilding.get(dayDir);
    if (state?.next) return state.next;
    const after = state?.running ?? Promise.resolve();
    const next: Promise<void> = after
      .catch(() => undefined)
      .then(() => {
        const current = this.rebuilding.get(dayDir)!;
        current.running = next;
        current.next = undefined;
        return this.writeProgramme(dayDir, post, settings);
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
   * Another process may add a script to the day while this one builds the programme from the folder: the build is
   * repeated until the folder is still the one it was built from, so the last programme written lists every script.
   */
  private async writeProgramme(dayDir: string, post: PostContext, settings: StationSettings): Promise<void> {
    for (let round = 0; ; round++) {
      const before = daySignature(dayDir);
      await this.buildProgramme(dayDir, post, settings);
      if (daySignature(dayDir) === before || round >= 20) return;
    }
  }

  private async buildProgramme(dayDir: string, post: PostContext, settings: StationSettings): Promise<void> {
    const date = formatLocal(post.publication.scheduledAt, 'dd/LL/yyyy');
    const entries = readDay(dayDir, settings.syllablesPerMinute);
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
    const programme: Programme = { stationName: post.channel.name, date, slots, notes: programmeNotes(slots) };
    await writeProgrammeFiles(dayDir, programme, formatLocal(post.publication.scheduledAt, 'yyyy-LL-dd'));
  }

  private frame(written: string, settings: StationSettings): Script {
    return buildScript(written, this.scriptOptions(settings));
  }
}

/** The day folder's scripts and sidecars, by name and size: changes when a script is added or rewritten. */
function daySignature(dayDir: string): string {
  if (!fs.existsSync(dayDir)) return '';
  return fs
    .readdirSync(dayDir)
    .filter((name) => name.endsWith('.txt') || name.endsWith('.json'))
    .sort()
    .map((name) => `${name}:${fs.statSync(path.join(dayDir, name)).size}`)
    .join('\n');
}

/** The script file: one header line for the announcer (not read on air), a blank line, then what is read. */
function scriptFile(entry: ProgrammeEntry, date: string, settings: StationSettings): string {
  const header =
    `Mức ưu tiên: ${priorityLabel(entry.priority)} · Phát lúc ${entry.time} ngày ${date} · ` +
    `đọc khoảng ${formatDuration(entry.seconds)} (${entry.syllables} âm tiết, ${settings.syllablesPerMinute} âm tiết/phút)`;
  return `${header}\n\n${entry.text}\n`;
}
