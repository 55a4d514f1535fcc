import type { Platform, PublishingTime } from './channel';
import { ValidationError } from './errors';

/**
 * What generic code knows of one platform: declared by its descriptor in channels/ (the registry) and handed in by
 * the caller, so the importer, the calendar, the report and the queue never name a platform themselves.
 */
export interface PlatformFacts {
  /** The platform's key: stored on channels, in queue names and in plans ('rss', 'zalo'…); a safe id. */
  name: Platform;
  /** Its name for people, in Vietnamese ('Đài truyền thanh cơ sở'). */
  label: string;
  /**
   * Words that name it in a plan's text (whole words, any case; a RegExp when a word needs an exception), so the
   * importer can tell the plan asks for it.
   */
  words: readonly (string | RegExp)[];
  /** A social network: a plan's "mạng xã hội (…)" that names it names no other network. */
  socialNetwork?: boolean;
  /** Loa itself serves its channels' published posts as the feed at /rss.xml (the unit's portal reads it). */
  servesFeed?: boolean;
  /**
   * When its audience is there: the local weekday (1 = Monday) and time the proposed calendar gives its slots,
   * chosen so one week's item reaches people on several days. Absent: Tuesday 08:00.
   */
  publishingTime?: PublishingTime;
}

/** The platforms an installation knows, in the registry's order: checked where a platform's name arrives. */
export class Platforms {
  private readonly byName: ReadonlyMap<string, PlatformFacts>;

  constructor(readonly list: readonly PlatformFacts[]) {
    this.byName = new Map(list.map((facts) => [facts.name, facts]));
  }

  get names(): Platform[] {
    return this.list.map((facts) => facts.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  get(name: string): PlatformFacts | undefined {
    return this.byName.get(name);
  }

  /** The platform whose posts Loa serves as its feed (/rss.xml), if one is installed. */
  get feed(): Platform | undefined {
    return this.list.find((facts) => facts.servesFeed)?.name;
  }

  /** Its name for people; an unknown platform (a channel of one no longer installed) shows its key. */
  label(name: string): string {
    return this.byName.get(name)?.label ?? name;
  }

  /** `value` when it names a known platform; otherwise names the field and lists the ones there are. */
  check(field: string, value: string): Platform {
    if (!this.byName.has(value))
      throw new ValidationError(field, `"${value}" không có; chọn một trong: ${this.names.join(', ')}`);
    return value;
  }
}
