import {
  addUnitAs,
  type ChannelInput,
  mergeUnitsAs,
  renameUnitAs,
  retireUnitAs,
  saveChannelWithSecretAs,
} from '../../actions/admin';
import type { ProcessParts } from '../../compose';
import type { Actor } from '../../domain/access';
import { type Platform } from '../../domain/channel';
import { ValidationError } from '../../domain/errors';
import { findSecretKey, maskSettings } from '../../domain/secrets';
import { formatLongLocal } from '../../domain/time';
import { UNIT_KINDS } from '../../domain/unit';
import type { PublishQueues } from '../../queue/queues';
import { channelStatuses, dueWaitingPublications, pauseChannel, resumeChannel } from '../../store/channel-pause';
import { getChannel, listChannels } from '../../store/channels';
import { getUnit, listUnitRecords, unitEvents } from '../../store/units';
import { cliActor, config, printJson, withParts, withStore } from '../context';
import { readSecretFromStdin } from '../secret-input';
import { formatTable } from '../table';

function parseSettings(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ValidationError('--settings', `không phải JSON hợp lệ (${(error as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ValidationError('--settings', 'phải là một đối tượng JSON { … }');
  const secret = findSecretKey(value);
  if (secret) {
    throw new ValidationError(
      '--settings',
      `"${secret}" là bí mật; không để bí mật trong cài đặt kênh (cài đặt được in ra và lưu không mã hoá). Đưa bí mật qua đầu vào chuẩn bằng --secret-stdin để Loa lưu mã hoá`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * Saves a channel and, with --secret-stdin, its secret through the shared action (role, checks, one transaction,
 * audit), naming CLI options in its errors. The secret is read from stdin only once LOA_SECRET_KEY is found.
 */
function saveAs({ db, adapters, queues }: ProcessParts, who: Actor, input: ChannelInput, withSecret: boolean) {
  return saveChannelWithSecretAs(
    db.kysely,
    who,
    adapters,
    input,
    withSecret ? readSecretFromStdin : undefined,
    (platform, ids) => wakeResumed(queues, platform, ids),
  ).catch((error: unknown) => {
    // The shared action names API fields; on the command line they are options.
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      error.field === 'secret' ? '--secret-stdin' : error.field.startsWith('--') ? error.field : `--${error.field}`,
      error.reason,
    );
  });
}

/**
 * A resumed channel's due publications were delayed while it was paused: wake their jobs now. Without Redis the
 * worker's own re-check still publishes them within LOA_PAUSED_RECHECK_MS.
 */
async function wakeResumed(queues: PublishQueues, platform: Platform, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const { redisReachable } = require('../../queue/redis') as typeof import('../../queue/redis');
  if (!(await redisReachable(config.redisUrl))) {
    console.log(
      `${ids.length} bài đang chờ sẽ được đăng khi tiến trình đăng bài kiểm tra lại (không kết nối được Redis lúc này).`,
    );
    return;
  }
  const { wakeWaiting } = require('../../queue/wake-waiting') as typeof import('../../queue/wake-waiting');
  const woken = await wakeWaiting(queues, platform, ids);
  console.log(`${ids.length} bài đang chờ được đăng tiếp (${woken} được đánh thức ngay).`);
}

/** `loa units list` */
export async function unitsList(options: { json?: boolean; tatCa?: boolean }): Promise<void> {
  const all = await withStore((db) => listUnitRecords(db.kysely));
  const found = options.tatCa ? all : all.filter((u) => u.retiredAt === null);
  if (options.json) printJson(found);
  else
    console.log(
      formatTable(
        found.map((u) => ({
          id: u.id,
          name: u.name,
          kind: UNIT_KINDS[u.kind],
          state: u.mergedInto ? `đã sáp nhập vào ${u.mergedInto}` : u.retiredAt ? 'ngừng hoạt động' : 'đang hoạt động',
        })),
        [
          ['id', 'Mã'],
          ['name', 'Tên', 50],
          ['kind', 'Cấp', 24],
          ['state', 'Tình trạng', 40],
        ],
      ),
    );
}

/** `loa units rename` */
export async function unitsRename(unit: string, name: string, options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  const renamed = await withStore((db) => renameUnitAs(db.kysely, who, unit, name));
  console.log(`Đơn vị ${renamed.id}: ${'before' in renamed ? `"${renamed.before}" → ` : ''}"${renamed.name}"`);
}

/** `loa units merge` */
export async function unitsMerge(units: string[], options: { into: string; as?: string }): Promise<void> {
  const who = cliActor(options);
  const result = await withStore((db) => mergeUnitsAs(db.kysely, who, units, options.into));
  console.log(
    `Đã sáp nhập ${result.merged.map((u) => `${u.name} (${u.id})`).join(', ')} vào ${result.into.name} (${result.into.id}): ` +
      `chuyển ${result.channels} kênh, ${result.users} tài khoản, ${result.items} bài viết; lịch sử giữ nguyên.`,
  );
}

/** `loa units retire` */
export async function unitsRetire(unit: string, options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  const retired = await withStore((db) => retireUnitAs(db.kysely, who, unit));
  console.log(
    `Đơn vị ${retired.name} (${retired.id}) đã ngừng hoạt động: các kênh tạm dừng, ${retired.usersDisabled} tài khoản bị khóa; không xóa gì.`,
  );
}

const EVENT_LABELS = { rename: 'đổi tên', merge: 'sáp nhập', retire: 'ngừng hoạt động' } as const;

/** `loa units history` */
export async function unitsHistory(unit: string | undefined, options: { json?: boolean }): Promise<void> {
  const events = await withStore(async (db) =>
    unitEvents(db.kysely, unit === undefined ? undefined : (await getUnit(db.kysely, unit)).id),
  );
  if (options.json) printJson(events);
  else if (events.length === 0) console.log('Chưa có thay đổi nào (đổi tên, sáp nhập, ngừng hoạt động).');
  else
    console.log(
      formatTable(
        events.map((e) => ({
          at: formatLongLocal(e.at),
          unit: e.unitId,
          action: EVENT_LABELS[e.action],
          change: e.action === 'retire' ? e.nameBefore : `${e.nameBefore} → ${e.nameAfter ?? ''}`,
          by: e.by,
        })),
        [
          ['at', 'Lúc'],
          ['unit', 'Mã'],
          ['action', 'Việc', 16],
          ['change', 'Thay đổi', 60],
          ['by', 'Người làm', 20],
        ],
      ),
    );
}

/** `loa units add` */
export async function unitsAdd(name: string, options: { as?: string; id?: string }): Promise<void> {
  const who = cliActor(options);
  const unit = await withStore((db) =>
    addUnitAs(db.kysely, who, name, options.id).catch((error: unknown) => {
      throw error instanceof ValidationError
        ? new ValidationError(error.field === 'id' ? '--id' : '<tên>', error.reason)
        : error;
    }),
  );
  console.log(`Đơn vị ${unit.id}: ${unit.name}`);
}

/** `loa channels list` */
export async function channelsList(options: { json?: boolean }): Promise<void> {
  const found = await withStore(async (db) => {
    const statuses = await channelStatuses(db.kysely);
    return (await listChannels(db.kysely)).map((c) => ({
      ...c,
      paused: statuses.get(c.id)?.pausedReason ?? null,
      hasSecret: statuses.get(c.id)?.hasSecret ?? false,
    }));
  });
  if (options.json) printJson(found.map((c) => ({ ...c, settings: maskSettings(c.settings) })));
  else
    console.log(
      formatTable(
        found.map((c) => ({
          ...c,
          settings: JSON.stringify(maskSettings(c.settings)),
          secret: c.hasSecret ? 'đã lưu (mã hóa)' : '',
          state: c.paused === null ? 'hoạt động' : `tạm dừng: ${c.paused}`,
        })),
        [
          ['id', 'Mã'],
          ['platform', 'Nền tảng'],
          ['unitId', 'Đơn vị', 30],
          ['name', 'Tên', 40],
          ['settings', 'Cài đặt', 60],
          ['secret', 'Bí mật'],
          ['state', 'Trạng thái', 50],
        ],
      ),
    );
}

/** `loa channels add` */
export async function channelsAdd(options: {
  unit: string;
  platform: string;
  name: string;
  id?: string;
  settings: string;
  secretStdin?: boolean;
  sua?: boolean;
  as?: string;
}): Promise<void> {
  const who = cliActor(options);
  const settings = parseSettings(options.settings);
  const { channel, resumed, secretStored } = await withParts((parts) =>
    saveAs(
      parts,
      who,
      {
        id: options.id,
        unit: options.unit,
        platform: options.platform,
        name: options.name,
        settings,
        edit: options.sua,
      },
      Boolean(options.secretStdin),
    ),
  );
  console.log(
    `Đã lưu kênh ${channel.id} (${channel.platform}) của đơn vị ${options.unit}${secretStored ? ', bí mật đã được mã hóa và lưu' : ''}${resumed ? '; kênh chạy lại' : ''}.`,
  );
}

/** `loa channels edit` */
export async function channelsEdit(
  id: string,
  options: { name?: string; settings?: string; secretStdin?: boolean; as?: string },
): Promise<void> {
  const who = cliActor(options);
  if (options.name === undefined && options.settings === undefined && !options.secretStdin)
    throw new ValidationError('tùy chọn', 'cần ít nhất một trong --name, --settings, --secret-stdin');
  const { resumed } = await withParts(async (parts) => {
    const channel = await getChannel(parts.db.kysely, id);
    const settings = options.settings !== undefined ? parseSettings(options.settings) : channel.settings;
    return saveAs(
      parts,
      who,
      {
        id,
        unit: channel.unitId,
        platform: channel.platform,
        name: options.name ?? channel.name,
        settings,
        edit: true,
      },
      Boolean(options.secretStdin),
    );
  });
  console.log(
    `Đã sửa kênh ${id}${options.secretStdin ? ', bí mật mới đã được mã hóa và lưu' : ''}${resumed ? '; kênh chạy lại' : ''}.`,
  );
}

/** `loa channels pause` */
export async function channelsPause(id: string, options: { lyDo: string; as?: string }): Promise<void> {
  const who = cliActor(options).name;
  const reason = options.lyDo.normalize('NFC').trim();
  if (!reason) throw new ValidationError('--ly-do', 'không được để trống');
  const paused = await withStore(async (db) => {
    await getChannel(db.kysely, id);
    return pauseChannel(db.kysely, id, reason, who);
  });
  console.log(paused ? `Đã tạm dừng kênh ${id}.` : `Kênh ${id} đã tạm dừng từ trước (giữ lý do cũ).`);
}

/** `loa channels resume` */
export async function channelsResume(id: string, options: { as?: string }): Promise<void> {
  cliActor(options);
  const resumed = await withParts(async ({ db, queues }) => {
    const channel = await getChannel(db.kysely, id);
    const was = await resumeChannel(db.kysely, id);
    if (was) await wakeResumed(queues, channel.platform, await dueWaitingPublications(db.kysely, id));
    return was;
  });
  console.log(resumed ? `Kênh ${id} đã chạy lại.` : `Kênh ${id} không tạm dừng.`);
}

/** Reads what the admin pastes back, a line at a time (a terminal, or a pipe in scripts and tests). */
function lineReader(): { next(prompt: string): Promise<string>; close(): void } {
  const { createInterface } = require('node:readline') as typeof import('node:readline');
  const rl = createInterface({ input: process.stdin, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async next(prompt: string) {
      process.stderr.write(prompt);
      const line = await lines.next();
      if (line.done) throw new ValidationError('đầu vào', 'không nhận được gì (cần dán địa chỉ trả về hoặc mã)');
      return String(line.value).trim();
    },
    close: () => rl.close(),
  };
}

/** What the admin pasted: the whole callback address, its query, or only the code. */
export function callbackQuery(pasted: string, state: string): Record<string, string> {
  const text = pasted.trim();
  const params = /^https?:\/\//i.test(text)
    ? new URL(text).searchParams
    : text.includes('=')
      ? new URLSearchParams(text.replace(/^[^?]*\?/, ''))
      : new URLSearchParams({ code: text });
  const query = Object.fromEntries(params);
  return { state, ...query };
}

/**
 * `loa channels connect`: the consent flow without a browser on the server. Prints the platform's
 * address; the admin opens it on any computer, consents, and pastes back the address the browser lands on (or the
 * code in it). The state is tied to this run; a Page among several is chosen by its number.
 */
export async function channelsConnect(id: string, options: { as?: string }): Promise<void> {
  const who = cliActor(options);
  const { beginConnection, chooseConnection, finishConnection } =
    require('../../actions/connect') as typeof import('../../actions/connect');
  const { randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const holder = `cli:${randomBytes(16).toString('hex')}`;
  const reader = lineReader();
  try {
    await withParts(async ({ db, adapters, queues }) => {
      const started = await beginConnection(db.kysely, who, adapters, id, { publicUrl: config.publicUrl, holder });
      console.log('Mở địa chỉ này trong trình duyệt (ở máy nào cũng được), đăng nhập và đồng ý cấp quyền:');
      console.log(started.authorizeUrl);
      const pasted = await reader.next(
        'Dán địa chỉ trình duyệt được chuyển về (bắt đầu bằng địa chỉ LOA_PUBLIC_URL của Loa), hoặc chỉ mã code, rồi Enter:\n',
      );
      let result = await finishConnection(db.kysely, who, adapters, {
        state: started.state,
        holder,
        query: callbackQuery(pasted, started.state),
        publicUrl: config.publicUrl,
      });
      if (result.status === 'choose') {
        console.log('Nền tảng trả về các tài khoản bạn quản lý:');
        result.accounts.forEach((a, i) =>
          console.log(
            `  ${i + 1}. ${a.name} (${a.accountId}): ${a.summary}${a.missing.length ? `; THIẾU ${a.missing.join('; ')}` : ''}`,
          ),
        );
        const answer = await reader.next(`Chọn số (1–${result.accounts.length}) hoặc mã tài khoản, rồi Enter:\n`);
        const chosen = result.accounts[Number(answer) - 1]?.accountId ?? answer;
        result = await chooseConnection(db.kysely, who, adapters, { state: started.state, holder, accountId: chosen });
      }
      if (result.status !== 'connected') throw new ValidationError('tài khoản', 'chưa chọn tài khoản');
      console.log(
        `Đã kết nối kênh ${result.saved.channel.id} với ${result.account.name} (${result.account.accountId}): ${result.account.summary}. Token được mã hóa và lưu.`,
      );
      if (result.saved.resumed) console.log('Kênh đang tạm dừng nay chạy lại.');
      await wakeResumed(queues, result.saved.channel.platform, result.saved.waiting);
    });
  } finally {
    reader.close();
  }
}
