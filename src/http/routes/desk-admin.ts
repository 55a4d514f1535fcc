import fs from 'node:fs';
import path from 'node:path';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { PLATFORMS } from '../../../channels';
import {
  addUnitAs,
  addUserAs,
  disableUserAs,
  listChannelsFor,
  listUnitsFor,
  listUsersFor,
  mergeUnitsAs,
  renameUnitAs,
  retireUnitAs,
  saveChannelWithSecretAs,
  setPasswordAs,
} from '../../actions/admin';
import { ROLE_LABELS, ROLES } from '../../domain/access';
import { ValidationError } from '../../domain/errors';
import { CONTENT_AREAS } from '../../domain/plan';
import { maskSettings } from '../../domain/secrets';
import { formatLongLocal } from '../../domain/time';
import { UNIT_KINDS } from '../../domain/unit';
import { wakeWaiting } from '../../queue/wake-waiting';
import { channelStatuses } from '../../store/channel-pause';
import { listChannels } from '../../store/channels';
import { getItem } from '../../store/items';
import { SecretKeyError } from '../../store/secret-cipher';
import { getUnit, listUnitRecords, unitEvents } from '../../store/units';
import { SESSION_COOKIE } from '../auth';
import type { HttpDeps } from '../deps';
import { field, many, optionalId, text, tick } from '../forms';
import { flashFields, flashQuery, flashQuerystring, readFlash } from '../pages/flash';
import { mistakeOf } from '../pages/mistake';
import { previewsFor } from '../pages/previews';
import { pageFrame, sendAdminsOnly, sendPage } from '../pages/render';
import { channelTokenView } from './desk-connect';

const ADMIN_PREFIX = '/desk/quan-tri';
/** Template files officers edit: shown with their source, never served as files by name from outside this list. */
const TEMPLATE_FILE = /^[a-z0-9-]+\.(liquid|tsv)$/;
const platformName = (key: string) => PLATFORMS.label(key);
const areaName = (key: string) => CONTENT_AREAS[key as keyof typeof CONTENT_AREAS] ?? key;

/**
 * The administration forms. The shared actions check names, ids and passwords by their own rules and the page says
 * what was wrong; the bounds here are the door's, above those rules.
 */
const NAME = 1000;
const ID = 400;
const PASSWORD = 4096;
const renameForm = z.object({ unit: text('Đơn vị cần đổi tên', ID), name: text('Tên mới', NAME) });
const mergeForm = z.object({ from: many('Đơn vị bị sáp nhập', 500, ID), into: text('Đơn vị nhận', ID) });
const retireForm = z.object({ unit: text('Đơn vị ngừng hoạt động', ID) });
const unitForm = z.object({ name: text('Tên đơn vị', NAME), id: text('Mã đơn vị', ID) });
const userForm = z.object({
  name: text('Tên đăng nhập', NAME),
  unit: text('Đơn vị', ID),
  role: field('Vai trò', z.enum(ROLES)),
  password: text('Mật khẩu', PASSWORD),
});
const passwordForm = z.object({
  name: text('Tài khoản', NAME),
  password: text('Mật khẩu mới', PASSWORD),
  current: text('Mật khẩu hiện tại', PASSWORD),
});
const disableForm = z.object({ name: text('Tài khoản', NAME) });
const channelForm = z.object({
  id: text('Mã kênh', ID),
  unit: text('Đơn vị', ID),
  platform: text('Nền tảng', 100),
  name: text('Tên kênh', NAME),
  settings: text('Cài đặt', 64 * 1024),
  secret: text('Bí mật', 64 * 1024),
  edit: tick('Sửa kênh đã có'),
});
const templatesQuery = z.object({ ...flashFields, tep: text('Tệp mẫu', 200), bai: optionalId('Bài xem thử') });

type Section = 'don-vi' | 'tai-khoan' | 'kenh' | 'mau';
const SECTIONS: Array<{ key: Section; name: string }> = [
  { key: 'don-vi', name: 'Đơn vị' },
  { key: 'tai-khoan', name: 'Tài khoản' },
  { key: 'kenh', name: 'Kênh đăng' },
  { key: 'mau', name: 'Mẫu bài' },
];

/**
 * Administration pages, as a plugin that shares the server's scope (fastify-plugin): its admins-only guard also
 * covers the not-found page of an address under it.
 */
export const deskAdminRoutes = fp(deskAdminPages, { name: 'loa-desk-admin', dependencies: ['loa-desk'] });

/**
 * Administration in the desk (admin role only): units, accounts, channels and the template files. Every change
 * goes through the shared actions of `src/actions/admin.ts` (roles, checks, audit), as the CLI and the API do.
 * Channel secrets are write-only here: a page says whether one is stored, never what it is.
 */
async function deskAdminPages(
  app: FastifyInstance,
  { db, config, queues, adapters }: Pick<HttpDeps, 'db' | 'config' | 'queues' | 'adapters'>,
): Promise<void> {
  const desk = app.withTypeProvider<ZodTypeProvider>();
  // Only admins: everyone else gets a plain refusal (403), not a page that half works.
  app.addHook('preHandler', async (req, res) => {
    if (req.url !== ADMIN_PREFIX && !req.url.startsWith(`${ADMIN_PREFIX}/`) && !req.url.startsWith(`${ADMIN_PREFIX}?`))
      return;
    if (!req.actor) return; // the desk's own guard sends the person to sign in
    if (req.actor.role !== 'admin') {
      return sendAdminsOnly(db, req, res, 'Chỉ quản trị viên mở được trang quản trị.');
    }
  });

  async function show(
    req: FastifyRequest,
    res: FastifyReply,
    section: Section,
    data: Record<string, unknown>,
    status = 200,
  ) {
    const { done, error } = readFlash(req);
    // Every admin page says at once when a connection is lost or about to expire, with the action that fixes it.
    const { alerts } = await channelTokenView(db, adapters);
    return sendPage(
      res,
      `admin-${section}`,
      {
        ...(await pageFrame(db, req)),
        page: 'quan-tri',
        section,
        sections: SECTIONS,
        title: `Quản trị · ${SECTIONS.find((s) => s.key === section)!.name}`,
        done,
        error,
        alerts,
        ...data,
      },
      status,
    );
  }

  /** After a change, back to the section with what happened (or what was wrong) in the address: reloading repeats nothing. */
  async function act(res: FastifyReply, section: Section, work: () => Promise<string>) {
    const req = res.request;
    try {
      const done = await work();
      return res.redirect(`${ADMIN_PREFIX}/${section}?${flashQuery(req, 'xong', done)}`, 303);
    } catch (error) {
      const message = mistakeOf(error) ?? (error instanceof SecretKeyError ? error.message : null);
      if (message === null) throw error;
      return res.redirect(`${ADMIN_PREFIX}/${section}?${flashQuery(req, 'loi', message)}`, 303);
    }
  }

  app.get(ADMIN_PREFIX, async (_req, res) => res.redirect(`${ADMIN_PREFIX}/don-vi`));

  const section = { schema: { querystring: flashQuerystring } };
  app.get(`${ADMIN_PREFIX}/don-vi`, section, async (req, res) => {
    const [units, records, events] = await Promise.all([
      listUnitsFor(db.kysely, req.actor!),
      listUnitRecords(db.kysely),
      unitEvents(db.kysely),
    ]);
    const nameOf = new Map(records.map((u) => [u.id, u.name]));
    return show(req, res, 'don-vi', {
      units,
      records: records.map((u) => ({
        id: u.id,
        name: u.name,
        kind: UNIT_KINDS[u.kind],
        district: u.kind === 'huyen' && u.retiredAt === null,
        state: u.mergedInto
          ? `đã sáp nhập vào ${nameOf.get(u.mergedInto) ?? u.mergedInto}`
          : u.retiredAt
            ? 'ngừng hoạt động'
            : 'đang hoạt động',
      })),
      events: events
        .slice(-50)
        .reverse()
        .map((e) => ({
          at: formatLongLocal(e.at),
          unit: e.unitId,
          action: { rename: 'Đổi tên', merge: 'Sáp nhập', retire: 'Ngừng hoạt động' }[e.action],
          change: e.action === 'retire' ? e.nameBefore : `${e.nameBefore} → ${e.nameAfter ?? ''}`,
          by: e.by,
        })),
    });
  });
  desk.post(`${ADMIN_PREFIX}/don-vi/doi-ten`, { schema: { body: renameForm } }, async (req, res) =>
    act(res, 'don-vi', async () => {
      const renamed = await renameUnitAs(db.kysely, req.actor!, req.body.unit ?? '', req.body.name ?? '');
      return 'before' in renamed
        ? `Đã đổi tên đơn vị ${renamed.id}: "${renamed.before}" thành "${renamed.name}"; tên cũ vẫn có trong lịch sử và báo cáo.`
        : `Đơn vị ${renamed.id} đã có tên "${renamed.name}".`;
    }),
  );
  desk.post(`${ADMIN_PREFIX}/don-vi/sap-nhap`, { schema: { body: mergeForm } }, async (req, res) =>
    act(res, 'don-vi', async () => {
      const from = req.body.from.filter((id) => id !== '');
      if (from.length === 0) throw new ValidationError('from', 'chọn ít nhất một đơn vị bị sáp nhập');
      const result = await mergeUnitsAs(db.kysely, req.actor!, from, req.body.into ?? '');
      return (
        `Đã sáp nhập ${result.merged.map((u) => u.name).join(', ')} vào ${result.into.name}: chuyển ${result.channels} kênh, ` +
        `${result.users} tài khoản, ${result.items} bài viết; lịch sử giữ nguyên.`
      );
    }),
  );
  desk.post(`${ADMIN_PREFIX}/don-vi/ngung`, { schema: { body: retireForm } }, async (req, res) =>
    act(res, 'don-vi', async () => {
      const retired = await retireUnitAs(db.kysely, req.actor!, req.body.unit ?? '');
      return `Đơn vị ${retired.name} đã ngừng hoạt động: các kênh tạm dừng, ${retired.usersDisabled} tài khoản bị khóa; không xóa gì.`;
    }),
  );
  desk.post(`${ADMIN_PREFIX}/don-vi`, { schema: { body: unitForm } }, async (req, res) =>
    act(res, 'don-vi', async () => {
      const id = (req.body.id ?? '').trim();
      const unit = await addUnitAs(db.kysely, req.actor!, req.body.name ?? '', id === '' ? undefined : id);
      return `Đã lưu đơn vị ${unit.name} (${unit.id}).`;
    }),
  );

  app.get(`${ADMIN_PREFIX}/tai-khoan`, section, async (req, res) => {
    const [users, units] = await Promise.all([
      listUsersFor(db.kysely, req.actor!),
      listUnitsFor(db.kysely, req.actor!),
    ]);
    const unitName = new Map(units.map((u) => [u.id, u.name]));
    return show(req, res, 'tai-khoan', {
      users: users.map((u) => ({
        name: u.name,
        unit: u.unitId ? (unitName.get(u.unitId) ?? u.unitId) : 'toàn tỉnh',
        role: ROLE_LABELS[u.role],
        disabled: u.disabled,
        createdAt: formatLongLocal(u.createdAt),
      })),
      units,
      roles: ROLES.map((key) => ({ key, name: ROLE_LABELS[key] })),
    });
  });
  desk.post(`${ADMIN_PREFIX}/tai-khoan`, { schema: { body: userForm } }, async (req, res) =>
    act(res, 'tai-khoan', async () => {
      const b = req.body;
      const user = await addUserAs(db.kysely, req.actor!, {
        name: b.name ?? '',
        unit: b.unit || null,
        role: b.role,
        password: b.password ?? '',
      });
      return `Đã thêm tài khoản ${user.name} (${ROLE_LABELS[user.role]}).`;
    }),
  );
  desk.post(`${ADMIN_PREFIX}/tai-khoan/mat-khau`, { schema: { body: passwordForm } }, async (req, res) =>
    act(res, 'tai-khoan', async () => {
      const b = req.body;
      await setPasswordAs(
        db.kysely,
        req.actor!,
        b.name ?? '',
        b.password ?? '',
        { sessionId: req.cookies[SESSION_COOKIE] ?? null },
        b.current || undefined,
      );
      return `Đã đặt mật khẩu mới cho ${b.name ?? ''}.`;
    }),
  );
  desk.post(`${ADMIN_PREFIX}/tai-khoan/khoa`, { schema: { body: disableForm } }, async (req, res) =>
    act(res, 'tai-khoan', async () => {
      const name = req.body.name ?? '';
      await disableUserAs(db.kysely, req.actor!, name);
      return `Đã khóa tài khoản ${name}; phiên và mã truy cập của tài khoản hết hiệu lực.`;
    }),
  );

  app.get(`${ADMIN_PREFIX}/kenh`, section, async (req, res) => {
    const [channels, units, statuses, tokens] = await Promise.all([
      listChannelsFor(db.kysely, req.actor!),
      listUnitsFor(db.kysely, req.actor!),
      channelStatuses(db.kysely),
      channelTokenView(db, adapters),
    ]);
    return show(req, res, 'kenh', {
      channels: channels.map((c) => {
        const status = statuses.get(c.id);
        // Settings hold no secrets (the action refuses them), and are masked again in case an older row does.
        return {
          id: c.id,
          unitId: c.unitId,
          platform: c.platform,
          platformName: platformName(c.platform),
          name: c.name,
          settings: JSON.stringify(maskSettings(c.settings), null, 1),
          hasSecret: status?.hasSecret ?? false,
          paused: status?.pausedReason ?? '',
          token: tokens.rows.get(c.id) ?? null,
        };
      }),
      units,
      platforms: PLATFORMS.names.map((key) => ({ key, name: platformName(key) })),
    });
  });
  desk.post(`${ADMIN_PREFIX}/kenh`, { schema: { body: channelForm } }, async (req, res) =>
    act(res, 'kenh', async () => {
      const b = req.body;
      let settings: unknown = {};
      const typed = (b.settings ?? '').trim();
      if (typed !== '') {
        try {
          settings = JSON.parse(typed);
        } catch (error) {
          throw new ValidationError('cài đặt', `không phải JSON hợp lệ (${(error as Error).message})`);
        }
      }
      if (typeof settings !== 'object' || settings === null || Array.isArray(settings))
        throw new ValidationError('cài đặt', 'phải là một đối tượng JSON { … }');
      const rawSecret = b.secret ?? '';
      const id = (b.id ?? '').trim();
      const input = {
        id: id === '' ? undefined : id,
        unit: b.unit ?? '',
        platform: b.platform ?? '',
        name: b.name ?? '',
        settings: settings as Record<string, unknown>,
        edit: b.edit === 'co',
      };
      // Without Redis the worker's own re-check sends a resumed channel's held publications.
      const saved = await saveChannelWithSecretAs(
        db.kysely,
        req.actor!,
        adapters,
        input,
        rawSecret !== '' ? () => rawSecret : undefined,
        (platform, ids) => wakeWaiting(queues, platform, ids).catch(() => 0),
      ).catch((error: unknown) => {
        throw error instanceof ValidationError && error.field === 'secret'
          ? new ValidationError('bí mật', error.reason)
          : error;
      });
      return `Đã lưu kênh ${saved.channel.name} (${saved.channel.id})${saved.secretStored ? '; bí mật đã được mã hóa và lưu' : ''}${saved.resumed ? '; kênh chạy lại' : ''}.`;
    }),
  );

  desk.get(`${ADMIN_PREFIX}/mau`, { schema: { querystring: templatesQuery } }, async (req, res) => {
    const files = fs
      .readdirSync(config.templatesDir)
      .filter((f) => TEMPLATE_FILE.test(f))
      .sort();
    const chosen = files.includes(req.query.tep ?? '') ? req.query.tep! : (files[0] ?? '');
    const source = chosen ? fs.readFileSync(path.join(config.templatesDir, chosen), 'utf8') : '';
    // The newest items to preview against: real ones from the database, as the templates will meet them.
    const recent = await db.kysely
      .selectFrom('content_items')
      .select(['id', 'title'])
      .orderBy('id', 'desc')
      .limit(30)
      .execute();
    const itemId = req.query.bai ?? recent[0]?.id;
    let previews: unknown[] = [];
    let previewError = '';
    if (itemId) {
      try {
        const item = await getItem(db.kysely, itemId);
        const [unit, channels] = await Promise.all([getUnit(db.kysely, item.unitId), listChannels(db.kysely)]);
        previews = await previewsFor(adapters, item, unit, areaName(item.areaKey), channels, new Date());
      } catch (error) {
        previewError = mistakeOf(error) ?? (error instanceof Error ? error.message : String(error));
      }
    }
    return show(req, res, 'mau', {
      files,
      chosen,
      source,
      items: recent.map((r) => ({ id: r.id, title: r.title })),
      itemId: itemId ?? 0,
      previews,
      previewError,
    });
  });
}
