import { logPeriod, unitFilter } from '../../actions/publications';
import { describeLedger } from '../../domain/platform-post';
import { ATTEMPT_LABELS, parseStates, STATE_LABELS } from '../../domain/publication';
import { formatLocal } from '../../domain/time';
import { type LogEntry, readPublishLog } from '../../store/publish-log';
import { printJson, withStore } from '../context';
import { formatTable } from '../table';

/** `loa log` */
export async function log(options: {
  channel?: string;
  unit?: string;
  from?: string;
  to?: string;
  state?: string;
  json?: boolean;
}): Promise<void> {
  const states = options.state ? parseStates(options.state, '--state') : undefined;
  const period = logPeriod(options.from, options.to, '--from', '--to');
  const entries = await withStore(async (db) =>
    readPublishLog(db.kysely, {
      channelId: options.channel,
      unitId: await unitFilter(db.kysely, options.unit, '--unit'),
      ...period,
      states,
    }),
  );
  if (options.json) return printJson(entries);
  printLog(entries);
}

/** The publish log as a table for a person: local times, Vietnamese states. */
export function printLog(entries: LogEntry[]): void {
  if (entries.length === 0) return console.log('Nhật ký trống với bộ lọc này.');
  const rows = entries.map((e) => ({
    ...e,
    when: formatLocal(e.scheduledAt),
    stateLabel: STATE_LABELS[e.state],
    attempt: e.attemptNo
      ? `#${e.attemptNo} ${ATTEMPT_LABELS[e.attemptOutcome!]} ${formatLocal(e.attemptStartedAt!, 'HH:mm:ss')}`
      : '',
    where: e.externalUrl ?? e.externalId ?? '',
    ledger: describeLedger(e.ledger),
    note:
      e.channelPausedReason !== null && (e.state === 'scheduled' || e.state === 'queued')
        ? `chờ: kênh tạm dừng (${e.channelPausedReason})`
        : (e.attemptError ?? e.reason ?? ''),
  }));
  console.log(
    formatTable(rows, [
      ['publicationId', 'Mã bài đăng', 44],
      ['when', 'Giờ đăng'],
      ['channelId', 'Kênh', 16],
      ['title', 'Nội dung', 36],
      ['stateLabel', 'Trạng thái'],
      ['attempt', 'Lần thử', 30],
      ['where', 'Ở đâu', 60],
      ['ledger', 'Trên nền tảng (sổ ghi)', 80],
      ['queuedBy', 'Xếp lịch', 16],
      ['approvedBy', 'Duyệt', 16],
      ['editedBy', 'Sửa lần cuối', 16],
      ['note', 'Ghi chú', 40],
    ]),
  );
}
