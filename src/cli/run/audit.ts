import { readAuditFor } from '../../actions/plans';
import { unitFilter } from '../../actions/publications';
import { formatLocal, parseLocal } from '../../domain/time';
import { cliActor, config, printJson, withStore } from '../context';
import { formatTable } from '../table';

/** `loa audit` */
export async function audit(options: {
  unit?: string;
  action?: string;
  from?: string;
  to?: string;
  json?: boolean;
}): Promise<void> {
  const entries = await withStore(async (db) =>
    readAuditFor(db.kysely, cliActor({ as: config.user ?? 'CLI' }), {
      // A unit Loa lacks is refused by name, as `loa log` does (a typo must not read as "everything").
      unitId: await unitFilter(db.kysely, options.unit, '--unit'),
      action: options.action,
      from: options.from ? parseLocal(options.from, '--from') : undefined,
      to: options.to ? parseLocal(options.to, '--to') : undefined,
    }),
  );
  if (options.json) return printJson(entries);
  if (entries.length === 0) return console.log('Nhật ký thao tác trống với bộ lọc này.');
  console.log(
    formatTable(
      entries.map((e) => ({
        ...e,
        when: formatLocal(e.at, 'dd/MM/yyyy HH:mm:ss'),
        unit: e.unitId ?? '(toàn tỉnh)',
        detailText: e.detail ? JSON.stringify(e.detail) : '',
      })),
      [
        ['when', 'Lúc'],
        ['actor', 'Người', 24],
        ['source', 'Từ'],
        ['action', 'Việc'],
        ['subject', 'Đối tượng', 30],
        ['unit', 'Đơn vị', 24],
        ['detailText', 'Chi tiết', 50],
      ],
    ),
  );
}
