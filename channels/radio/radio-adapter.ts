import fs from 'node:fs';
import path from 'node:path';
import type { ChannelAdapter, PostContext, PublishResult } from '../types';
import { templateData, type Templates } from '../template';
import { formatLocal } from '../../src/domain/time';

/** Writes `content` to `file` so that a reader never sees half of it: a crash leaves the old file or the new one. */
function writeAtomically(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, content);
  fs.renameSync(temporary, file);
}

/**
 * Scripts for a commune loudspeaker station, under <export>/radio/<station>/<day>/. Each publication has its
 * own file, named by broadcast time, written whole or not at all; the day's programme <day>.txt is rebuilt from
 * those files. Publishing the same publication twice rewrites the same bytes: idempotent by construction.
 */
export class RadioAdapter implements ChannelAdapter {
  readonly platform = 'radio' as const;
  readonly idempotent = true;

  constructor(
    private readonly templates: Templates,
    private readonly exportDir: string,
  ) {}

  render(post: PostContext): Promise<string> {
    return this.templates.render('radio.liquid', templateData(post));
  }

  async publish(post: PostContext, rendered: string): Promise<PublishResult> {
    const { publication, channel } = post;
    const dayDir = path.join(this.exportDir, 'radio', channel.id, formatLocal(publication.scheduledAt, 'yyyy-LL-dd'));
    const file = path.join(dayDir, `${formatLocal(publication.scheduledAt, 'HHmm')}-${publication.id}.txt`);
    writeAtomically(file, `${rendered}\n`);
    this.rebuildDayProgramme(dayDir);
    return { externalId: path.relative(this.exportDir, file), externalUrl: null, content: rendered };
  }

  private rebuildDayProgramme(dayDir: string): void {
    const scripts = fs
      .readdirSync(dayDir)
      .filter((name) => name.endsWith('.txt'))
      .sort()
      .map((name) => fs.readFileSync(path.join(dayDir, name), 'utf8').trim());
    writeAtomically(`${dayDir}.txt`, `${scripts.join('\n\n* * *\n\n')}\n`);
  }
}
