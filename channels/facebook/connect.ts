import type { ChannelAccount } from '../../src/domain/channel';
import { formatLocal } from '../../src/domain/time';
import { type ChannelConnector, ChannelError, type ConnectChoice, type TokenFacts } from '../types';
import { type GraphAnswer, GraphClient, type GraphTarget, scrubToken } from './graph-client';
import { graphErrorOf } from './graph-errors';

/**
 * Connecting a Page through Facebook Login. Sources:
 * - [LOGIN] Facebook Login, "Manually Build a Login Flow" (developers.facebook.com/docs/facebook-login/guides/advanced/
 *   manual-flow): the dialog https://www.facebook.com/{version}/dialog/oauth?client_id&redirect_uri&state&scope sends
 *   the person back to redirect_uri with `code` and `state` (or `error`, `error_reason`); GET
 *   /{version}/oauth/access_token?client_id&redirect_uri&client_secret&code gives a short-lived user token; the
 *   redirect_uri must be the very one the dialog had.
 * - [LONG] "Get Long-Lived Tokens" (developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived):
 *   GET /{version}/oauth/access_token?grant_type=fb_exchange_token&client_id&client_secret&fb_exchange_token gives a
 *   long-lived user token (`expires_in` about 60 days, 5183944 s in the example); a Page token read with a long-lived
 *   user token has no expiry.
 * - [ACCOUNTS] Graph API reference, User /accounts: the Pages the person can act on, each with `id`, `name`,
 *   `access_token` (the Page token) and `tasks`; it needs pages_show_list.
 * - [DEBUG] Graph API reference, /debug_token?input_token (asked with an app token `{app-id}|{app-secret}`): `data`
 *   holds type (USER, PAGE), app_id, profile_id (a Page token's Page), is_valid, expires_at (unix time; 0 = never),
 *   data_access_expires_at and scopes (the permissions granted).
 * - [PERM] Permissions reference: pages_manage_posts (publish on a Page), pages_read_engagement (read a Page's posts,
 *   which reconciliation needs), pages_show_list (list the Pages a person manages).
 */

/** The permissions Loa asks for, each with what it is for (named to an admin when one is missing). */
export const PAGE_PERMISSIONS: Record<string, string> = {
  pages_manage_posts: 'đăng bài lên Trang',
  pages_read_engagement: 'đọc bài của Trang để đối chiếu trước khi đăng lại',
  pages_show_list: 'liệt kê các Trang người dùng quản lý',
};

export interface FacebookApp {
  /** LOA_FACEBOOK_APP_ID / LOA_FACEBOOK_APP_SECRET: the app the Login dialog is for. */
  appId?: string;
  appSecret?: string;
  /** LOA_FACEBOOK_DIALOG_URL: the host of the Login dialog (default https://www.facebook.com); tests use the fake. */
  dialogUrl: string;
}

export function facebookAppFromEnv(env: NodeJS.ProcessEnv = process.env): FacebookApp {
  return {
    appId: env.LOA_FACEBOOK_APP_ID?.trim() || undefined,
    appSecret: env.LOA_FACEBOOK_APP_SECRET?.trim() || undefined,
    dialogUrl: (env.LOA_FACEBOOK_DIALOG_URL?.trim() || 'https://www.facebook.com').replace(/\/+$/, ''),
  };
}

/** A Facebook answer Loa cannot go on with: a sentence for people, never holding a token. */
class ConnectError extends ChannelError {
  constructor(message: string) {
    super('refused', message);
  }
}

function missingOf(scopes: readonly string[]): string[] {
  return Object.keys(PAGE_PERMISSIONS)
    .filter((p) => !scopes.includes(p))
    .map((p) => `${p} (${PAGE_PERMISSIONS[p]})`);
}

export class FacebookConnector implements ChannelConnector {
  private readonly graph: GraphClient;

  constructor(
    private readonly target: GraphTarget,
    private readonly app: FacebookApp,
    timeoutMs: number,
  ) {
    this.graph = new GraphClient(target, timeoutMs);
  }

  unavailable(): string | null {
    if (!this.app.appId || !this.app.appSecret)
      return 'chưa đặt LOA_FACEBOOK_APP_ID và LOA_FACEBOOK_APP_SECRET (ứng dụng Facebook của Loa; README, mục "Facebook: Trang và ứng dụng")';
    return null;
  }

  /** [LOGIN] the dialog's address, asking for the three Page permissions [PERM]. */
  begin(input: { redirectUri: string; state: string }): { authorizeUrl: string; keep: string } {
    const url = new URL(`${this.app.dialogUrl}/${this.target.apiVersion}/dialog/oauth`);
    url.searchParams.set('client_id', this.app.appId ?? '');
    url.searchParams.set('redirect_uri', input.redirectUri);
    url.searchParams.set('state', input.state);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('scope', Object.keys(PAGE_PERMISSIONS).join(','));
    return { authorizeUrl: url.toString(), keep: '' };
  }

  /** [LOGIN][LONG][ACCOUNTS][DEBUG] code → user token → long-lived user token → the Pages, each checked. */
  async finish(input: { query: Record<string, string>; redirectUri: string }): Promise<ConnectChoice[]> {
    if (input.query.error)
      throw new ConnectError(
        `Facebook không cấp quyền (${input.query.error_reason || input.query.error}): người dùng đã từ chối hoặc hủy; bấm Kết nối lại và chấp nhận các quyền Loa xin`,
      );
    const code = input.query.code;
    if (!code) throw new ConnectError('địa chỉ Facebook trả về không có mã cấp quyền (code)');
    const short = await this.userToken({
      client_id: this.app.appId,
      client_secret: this.app.appSecret,
      redirect_uri: input.redirectUri,
      code,
    });
    const long = await this.userToken({
      grant_type: 'fb_exchange_token',
      client_id: this.app.appId,
      client_secret: this.app.appSecret,
      fb_exchange_token: short,
    });
    const user = await this.debug(long);
    const missing = missingOf(user.scopes);
    const pages = this.body<{ data?: Array<{ id?: string; name?: string; access_token?: string }> }>(
      await this.graph.call(long, 'GET', ['me', 'accounts'], { fields: 'id,name,access_token,tasks', limit: 100 }),
      long,
      'danh sách Trang (/me/accounts)',
    );
    const listed = (pages.data ?? []).filter(
      (p): p is { id: string; name: string; access_token: string } =>
        typeof p.id === 'string' && typeof p.access_token === 'string',
    );
    if (listed.length === 0)
      throw new ConnectError(
        missing.length
          ? `Facebook không cho Loa xem các Trang: tài khoản chưa cấp quyền ${missing.join(', ')}; bấm Kết nối lại và chọn đủ quyền`
          : 'tài khoản Facebook này không quản lý Trang nào (cần vai trò quản trị hoặc có quyền tạo nội dung trên Trang)',
      );
    const choices: ConnectChoice[] = [];
    for (const page of listed) {
      const facts = await this.pageFacts(page.access_token, page.name ?? page.id);
      choices.push({
        accountId: page.id,
        name: page.name ?? page.id,
        secret: page.access_token,
        settings: { pageId: page.id },
        facts,
      });
    }
    return choices;
  }

  /** A pasted Page token, checked as a connected one: [DEBUG] says it is a valid Page token, of which Page, with what. */
  async checkPasted(secret: string, channel: ChannelAccount): Promise<ConnectChoice> {
    const token = secret.trim();
    const pageId = typeof channel.settings.pageId === 'string' ? channel.settings.pageId : null;
    if (this.unavailable()) {
      // Without the app's id and secret there is no debug_token: the Page itself must answer the token.
      const page = this.body<{ id?: string; name?: string }>(
        await this.graph.call(token, 'GET', [pageId ?? 'me'], { fields: 'id,name' }),
        token,
        'Trang',
      );
      return {
        accountId: page.id ?? pageId ?? '',
        name: page.name ?? '',
        secret: token,
        settings: {},
        facts: {
          expiresAt: null,
          refreshExpiresAt: null,
          summary: `Trang «${page.name ?? pageId}» nhận token (chưa xem được quyền: thiếu LOA_FACEBOOK_APP_ID/SECRET)`,
          missing: [],
        },
      };
    }
    const info = await this.debug(token);
    if (info.type !== 'PAGE')
      throw new ConnectError(
        `đây là token ${info.type === 'USER' ? 'người dùng' : (info.type ?? 'không rõ loại')}, không phải token của Trang: lấy token của Trang (README, mục "Facebook: Trang và ứng dụng") hoặc dùng nút Kết nối`,
      );
    if (pageId && info.profileId && info.profileId !== pageId)
      throw new ConnectError(
        `token thuộc Trang ${info.profileId}, không phải Trang ${pageId} trong cài đặt pageId của kênh`,
      );
    const facts = this.factsOf(info, pageId ?? info.profileId ?? '');
    return { accountId: info.profileId ?? pageId ?? '', name: '', secret: token, settings: {}, facts };
  }

  private async pageFacts(token: string, name: string): Promise<TokenFacts> {
    return this.factsOf(await this.debug(token), name);
  }

  private factsOf(info: DebugInfo, name: string): TokenFacts {
    const missing = missingOf(info.scopes);
    const expiry = info.expiresAt ? `hết hạn ${formatLocal(info.expiresAt)}` : 'không hết hạn';
    return {
      expiresAt: info.expiresAt,
      refreshExpiresAt: null,
      summary: `Trang «${name}»: quyền ${info.scopes.filter((s) => s in PAGE_PERMISSIONS).join(', ') || 'không có'}; token ${expiry}`,
      missing,
    };
  }

  /** [DEBUG] what a token is, asked with the app token. */
  private async debug(token: string): Promise<DebugInfo> {
    const body = this.body<{
      data?: {
        type?: string;
        is_valid?: boolean;
        profile_id?: string;
        expires_at?: number;
        scopes?: string[];
        error?: { message?: string };
      };
    }>(
      await this.graph.call(`${this.app.appId}|${this.app.appSecret}`, 'GET', ['debug_token'], { input_token: token }),
      token,
      'debug_token',
    );
    const data = body.data ?? {};
    if (!data.is_valid)
      throw new ConnectError(
        `Facebook báo token không còn hiệu lực${data.error?.message ? ` (${scrubToken(data.error.message, token)})` : ''}`,
      );
    return {
      type: data.type ?? null,
      profileId: data.profile_id ?? null,
      expiresAt: data.expires_at ? new Date(data.expires_at * 1000) : null,
      scopes: Array.isArray(data.scopes) ? data.scopes : [],
    };
  }

  /** [LOGIN][LONG] one trade at /oauth/access_token: the new user token. */
  private async userToken(params: Record<string, string | undefined>): Promise<string> {
    const body = this.body<{ access_token?: string }>(
      await this.graph.call(null, 'GET', ['oauth', 'access_token'], params),
      null,
      'đổi mã lấy token',
    );
    if (typeof body.access_token !== 'string') throw new ConnectError('Facebook trả lời không có token người dùng');
    return body.access_token;
  }

  private body<T>(answer: GraphAnswer, token: string | null, what: string): T {
    if (answer.kind === 'no-answer')
      throw new ChannelError(
        'retry-later',
        `không kết nối được Facebook khi hỏi ${what} (${answer.code}); thử lại sau`,
      );
    const error = graphErrorOf(answer.body);
    if (error || answer.status >= 300) {
      const secret = this.app.appSecret ?? null;
      const text = scrubToken(scrubToken(error?.message ?? `HTTP ${answer.status}`, token), secret);
      throw new ConnectError(`Facebook từ chối khi hỏi ${what} (mã ${error?.code ?? answer.status}): ${text}`);
    }
    return answer.body as T;
  }
}

interface DebugInfo {
  type: string | null;
  profileId: string | null;
  expiresAt: Date | null;
  scopes: string[];
}
