import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';

import { type Adapters, PLATFORMS } from '../../../channels';
import { beginConnection, chooseConnection, CONNECT_CALLBACK_PATH, finishConnection } from '../../actions/connect';
import { formatLocal } from '../../domain/time';
import { describeTokenState, type TokenAlert, tokenAlert } from '../../domain/token-alerts';
import type { Db } from '../../store';
import { channelStatuses } from '../../store/channel-pause';
import { SecretKeyError } from '../../store/secret-cipher';
import { listTokenStates } from '../../store/token-state';
import type { HttpDeps } from '../deps';
import { field, text } from '../forms';
import { flashQuery } from '../pages/flash';
import { mistakeOf } from '../pages/mistake';
import { pageFrame, sendAdminsOnly, sendPage } from '../pages/render';

const CHANNELS_PAGE = '/desk/quan-tri/kenh';
const CONNECT_START = `${CHANNELS_PAGE}/ket-noi`;
const CONNECT_CHOOSE = `${CHANNELS_PAGE}/ket-noi/chon`;

/** The channel whose "Kết nối" was pressed. */
const startQuery = z.object({ kenh: text('Kênh', 100) });
/**
 * What the platform sends back (its code, the state, or its error): keys it chooses, each once, none longer than a
 * platform's token.
 */
const platformAnswer = field('Trả lời của nền tảng', z.record(z.string().max(100), z.string().max(8192)));
/** The account chosen among those the platform offered, with the state of this connection. */
const chooseForm = z.object({ state: text('Phiên kết nối', 200), account: text('Tài khoản', 200) });

/** Each channel's connection as the channel list shows it: state, expiry, last success, and whether "Kết nối" works. */
export interface ChannelTokenRow {
  state: string;
  expiry: string;
  lastSuccess: string;
  summary: string;
  connectable: boolean;
}

/** The channel list's connection columns and the admins' banner (alerts N days before an expiry, or a lost connection). */
export async function channelTokenView(
  db: Db,
  adapters: Adapters,
  now = new Date(),
): Promise<{ rows: Map<string, ChannelTokenRow>; alerts: TokenAlert[] }> {
  const [states, statuses] = await Promise.all([listTokenStates(db.kysely), channelStatuses(db.kysely)]);
  const rows = new Map<string, ChannelTokenRow>();
  const alerts: TokenAlert[] = [];
  for (const state of states) {
    const adapter = adapters[state.platform as keyof Adapters];
    const connectable = Boolean(adapter?.connector);
    const described = describeTokenState(state, now);
    rows.set(state.channelId, { ...described, summary: state.summary ?? '', connectable });
    const alert = tokenAlert(state, now, connectable);
    if (alert) alerts.push(alert);
    else if (connectable && statuses.get(state.channelId)?.pausedReason)
      alerts.push({
        channelId: state.channelId,
        level: 'error',
        what: `Kênh ${state.channelId} đang tạm dừng: ${statuses.get(state.channelId)!.pausedReason}`,
        fix: `Bấm "Kết nối" ở kênh ${state.channelId} trong ${CHANNELS_PAGE}, hoặc chạy loa channels connect ${state.channelId}`,
      });
  }
  return { rows, alerts };
}

/**
 * Connecting a channel from the desk through its platform's consent screen: "Kết nối" leads to the
 * platform, which sends the admin back to CONNECT_CALLBACK_PATH (LOA_PUBLIC_URL + it is the address to register
 * with the platform's app). Everything is done by src/actions/connect.ts; the `state` is tied to this session.
 * Admins only: each route checks it itself (the actions check the role again).
 */
export async function deskConnectRoutes(
  app: FastifyInstance,
  { db, config, adapters }: Pick<HttpDeps, 'db' | 'config' | 'adapters'>,
): Promise<void> {
  /** What ties a connection to this browser session: the session's own CSRF token (never sent to the platform). */
  const holder = (req: FastifyRequest) => `desk:${req.sessionCsrf ?? ''}`;

  const back = (res: FastifyReply, key: 'xong' | 'loi', message: string) =>
    res.redirect(`${CHANNELS_PAGE}?${flashQuery(res.request, key, message)}`, 303);

  async function guarded(req: FastifyRequest, res: FastifyReply, work: () => Promise<FastifyReply>) {
    if (!req.actor) return res.redirect(`/desk/dang-nhap?tiep=${encodeURIComponent(req.url)}`, 303);
    if (req.actor.role !== 'admin' || !req.sessionCsrf)
      return sendAdminsOnly(db, req, res, 'Chỉ quản trị viên đã đăng nhập ở bàn làm việc kết nối được kênh.');
    try {
      return await work();
    } catch (error) {
      const message = mistakeOf(error) ?? (error instanceof SecretKeyError ? error.message : null);
      if (message === null) throw error;
      return back(res, 'loi', message);
    }
  }

  const connected = (name: string, id: string, summary: string) =>
    `Đã kết nối kênh ${name} (${id}): ${summary}. Token được mã hóa và lưu.`;

  const desk = app.withTypeProvider<ZodTypeProvider>();
  desk.get(CONNECT_START, { schema: { querystring: startQuery } }, async (req, res) =>
    guarded(req, res, async () => {
      const started = await beginConnection(db.kysely, req.actor!, adapters, req.query.kenh ?? '', {
        publicUrl: config.publicUrl,
        holder: holder(req),
      });
      return res.redirect(started.authorizeUrl, 302);
    }),
  );

  desk.get(CONNECT_CALLBACK_PATH, { schema: { querystring: platformAnswer } }, async (req, res) =>
    guarded(req, res, async () => {
      const query = req.query;
      const result = await finishConnection(db.kysely, req.actor!, adapters, {
        state: query.state ?? '',
        holder: holder(req),
        query,
        publicUrl: config.publicUrl,
      });
      if (result.status === 'connected')
        return back(res, 'xong', connected(result.saved.channel.name, result.saved.channel.id, result.account.summary));
      return sendPage(res, 'admin-ket-noi', {
        ...(await pageFrame(db, req)),
        page: 'quan-tri',
        title: `Kết nối kênh ${result.channel.name}`,
        channel: {
          id: result.channel.id,
          name: result.channel.name,
          platformName: PLATFORMS.label(result.channel.platform),
        },
        state: query.state ?? '',
        action: CONNECT_CHOOSE,
        accounts: result.accounts.map((a) => ({
          id: a.accountId,
          name: a.name,
          summary: a.summary,
          missing: a.missing.join('; '),
          expiry: a.expiresAt ? formatLocal(a.expiresAt) : 'không hết hạn',
          chosen: a.accountId === result.channel.settings.pageId,
        })),
      });
    }),
  );

  desk.post(CONNECT_CHOOSE, { schema: { body: chooseForm } }, async (req, res) =>
    guarded(req, res, async () => {
      const result = await chooseConnection(db.kysely, req.actor!, adapters, {
        state: req.body.state ?? '',
        holder: holder(req),
        accountId: req.body.account ?? '',
      });
      if (result.status !== 'connected') return back(res, 'loi', 'chưa chọn tài khoản');
      return back(res, 'xong', connected(result.saved.channel.name, result.saved.channel.id, result.account.summary));
    }),
  );
}
