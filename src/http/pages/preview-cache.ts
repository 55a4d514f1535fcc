import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What an adapter made of an item for one channel: the part of a preview that costs (templates, the radio's layout). */
export interface RenderedPreview {
  text: string;
  /** Reading time of a heard channel, in seconds. */
  seconds: number | undefined;
  warnings: string[];
  /** The adapter's refusal (a template error, a setting) instead of a text. */
  error: string | null;
}

/** The cache as one page sees it: `inputs` are everything a render depends on but the templates. */
export interface PreviewLookup {
  get(inputs: unknown, render: () => Promise<RenderedPreview>): Promise<RenderedPreview>;
}

export interface PreviewCacheOptions {
  /** Most renders kept; the least recently used go first. Default 1,000 (a radio script is a few KB of text). */
  maxEntries?: number;
}

/**
 * Rendered previews kept in the process, so that the approval queue, which twenty supervisors reload all day, does
 * not lay out the same radio scripts and run the same templates on every view (in the CPU profile of a page of ten
 * cards, the radio script's breath layout was most of its cost).
 *
 * A render is a function of its inputs only: the item, its unit and area name, the channel account (its settings set
 * the station's pace and dialect), the time it goes out, and the templates directory. The key is a hash of all of them,
 * with each template file's name, size and modification time: an edited item, a changed setting or an edited template
 * gives another key, and a cached text is always the one an uncached render would give. Bounded: the least recently
 * used renders are forgotten.
 */
export class PreviewCache {
  private readonly entries = new Map<string, RenderedPreview>();
  private readonly maxEntries: number;

  constructor(
    private readonly templatesDir: string,
    options: PreviewCacheOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 1_000;
  }

  /**
   * The templates as they are now on disk: each file's name, size and modification time (a few stat calls, once per
   * page). An officer's edit changes it, and with it every key.
   */
  templatesVersion(): string {
    let names: string[];
    try {
      names = fs.readdirSync(this.templatesDir).sort();
    } catch (error) {
      // No directory: every render fails with its own error, which is cached under this version like any other.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw error;
    }
    return names
      .map((name) => {
        try {
          const stat = fs.statSync(path.join(this.templatesDir, name));
          return `${name}:${stat.size}:${stat.mtimeMs}`;
        } catch (error) {
          // Removed between the listing and the stat: it is not there.
          if ((error as NodeJS.ErrnoException).code === 'ENOENT') return `${name}:gone`;
          throw error;
        }
      })
      .join('|');
  }

  /**
   * A lookup for one page: the templates' version is read once for all its cards. The key of a render is a hash of
   * everything it depends on (see the class) with that version.
   */
  forPage(): PreviewLookup {
    const templates = this.templatesVersion();
    return {
      get: (inputs, render) =>
        this.get(
          createHash('sha256')
            .update(JSON.stringify([templates, inputs]))
            .digest('base64'),
          render,
        ),
    };
  }

  /**
   * The render for `key`, made by `render` when not kept (and then kept). A refusal is not kept: a template that ran
   * out of time on a loaded machine is tried again on the next view.
   */
  private async get(key: string, render: () => Promise<RenderedPreview>): Promise<RenderedPreview> {
    const kept = this.entries.get(key);
    if (kept) {
      // Most recently used last: the Map's order is the eviction order.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept;
    }
    const made = await render();
    if (made.error !== null) return made;
    this.entries.set(key, made);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    return made;
  }

  get size(): number {
    return this.entries.size;
  }
}
