import { createHash, randomBytes } from 'node:crypto';

import { formatLocal } from '../../src/domain/time';
import { type ChannelConnector, ChannelError, type ConnectChoice } from '../types';
import type { ZaloClient } from './client';
import { describeZaloError } from './explain';
import { parseZaloSecret, REFRESH_LIFETIME_MS, type ZaloApp, type ZaloSecret } from './tokens';
import { ZaloApiError, ZaloRefreshRefused, ZaloTransportError } from './zalo-errors';

/**
 * Connecting an Official Account through Zalo's OAuth v4 with PKCE. Source [OAUTH]: Zalo for Developers,
 * Official Account API, "Xác thực và ủy quyền cho ứng dụng" (developers.zalo.me/docs/official-account/bat-dau/
 * xac-thuc-va-uy-quyen-cho-ung-dung-new): the OA admin opens
 * https://oauth.zaloapp.com/v4/oa/permission?app_id&redirect_uri&code_challenge&state, consents, and comes back to
 * redirect_uri with `code`, `oa_id` and `state`; the app then POSTs /v4/oa/access_token (form: code, app_id,
 * grant_type=authorization_code, code_verifier; header secret_key) and gets access_token, refresh_token and
 * expires_in (seconds, about 25 hours); the code_challenge is the base64url SHA-256 of the code_verifier (a random
 * string of 43 characters); the refresh token lives about three months and works once.
 */

class ConnectError extends ChannelError {
  constructor(message: string) {
    super('refused', message);
  }
}

/** A PKCE verifier: 32 random bytes, 43 base64url characters (within RFC 7636's 43–128). */
function newVerifier(): string {
  return randomBytes(32).toString('base64url');
}

export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function zaloWords(error: unknown): string {
  if (error instanceof ZaloRefreshRefused) return `Zalo từ chối (mã ${error.code}: ${error.zaloMessage})`;
  if (error instanceof ZaloApiError) return describeZaloError(error);
  if (error instanceof ZaloTransportError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

export class ZaloConnector implements ChannelConnector {
  constructor(
    private readonly client: ZaloClient,
    private readonly app: ZaloApp,
    private readonly now: () => Date = () => new Date(),
  ) {}

  unavailable(): string | null {
    if (!this.app.appId || !this.app.secretKey)
      return 'chưa đặt LOA_ZALO_APP_ID và LOA_ZALO_SECRET_KEY (ứng dụng Zalo của Loa; README, mục "Zalo OA")';
    return null;
  }

  /** [OAUTH] the consent screen's address, with a fresh PKCE challenge; the verifier is what Loa keeps. */
  begin(input: { redirectUri: string; state: string }): { authorizeUrl: string; keep: string } {
    const verifier = newVerifier();
    const url = new URL(`${this.client.oauthUrl}/v4/oa/permission`);
    url.searchParams.set('app_id', this.app.appId ?? '');
    url.searchParams.set('redirect_uri', input.redirectUri);
    url.searchParams.set('code_challenge', codeChallenge(verifier));
    url.searchParams.set('state', input.state);
    return { authorizeUrl: url.toString(), keep: verifier };
  }

  /** [OAUTH] the code and the kept verifier → the token pair; the OA's name from getoa. */
  async finish(input: { query: Record<string, string>; keep: string }): Promise<ConnectChoice[]> {
    const code = input.query.code;
    if (!code)
      throw new ConnectError(
        'địa chỉ Zalo trả về không có mã cấp quyền (code): quản trị viên OA chưa đồng ý; bấm Kết nối lại',
      );
    const now = this.now();
    let fresh;
    try {
      fresh = await this.client.authorize(
        { appId: this.app.appId ?? '', secretKey: this.app.secretKey ?? '', code, codeVerifier: input.keep },
        undefined,
        now,
      );
    } catch (error) {
      throw new ConnectError(`không đổi được mã cấp quyền lấy mã truy cập Zalo: ${zaloWords(error)}`);
    }
    const secret: ZaloSecret = {
      accessToken: fresh.accessToken,
      refreshToken: fresh.refreshToken,
      accessExpiresAt: fresh.accessExpiresAt.toISOString(),
      refreshExpiresAt: new Date(now.getTime() + REFRESH_LIFETIME_MS).toISOString(),
    };
    return [await this.choiceOf(secret, input.query.oa_id ?? '')];
  }

  /** A pasted pair, checked as a connected one: getoa must answer with its access token. */
  async checkPasted(value: string): Promise<ConnectChoice> {
    let secret: ZaloSecret;
    try {
      secret = parseZaloSecret(value);
    } catch (error) {
      throw new ConnectError((error as Error).message);
    }
    return this.choiceOf(secret, '');
  }

  private async choiceOf(secret: ZaloSecret, oaId: string): Promise<ConnectChoice> {
    let oa;
    try {
      oa = await this.client.getOa(secret.accessToken);
    } catch (error) {
      if (error instanceof ZaloTransportError)
        throw new ChannelError('retry-later', `không hỏi được Zalo thông tin OA (getoa): ${error.message}`);
      throw new ConnectError(`Zalo không nhận mã truy cập khi hỏi thông tin OA (getoa): ${zaloWords(error)}`);
    }
    const id = String((oa as { oa_id?: unknown; oaid?: unknown }).oa_id ?? (oa as { oaid?: unknown }).oaid ?? oaId);
    const ends = secret.refreshExpiresAt ? formatLocal(secret.refreshExpiresAt) : 'chưa biết';
    return {
      accountId: id,
      name: oa.name,
      secret: JSON.stringify(secret),
      settings: {},
      facts: {
        expiresAt: secret.accessExpiresAt ? new Date(secret.accessExpiresAt) : null,
        refreshExpiresAt: secret.refreshExpiresAt ? new Date(secret.refreshExpiresAt) : null,
        summary: `OA «${oa.name}»${oa.is_verified ? ', đã xác thực' : ', CHƯA xác thực (chưa đăng bài được)'}; mã làm mới hết hạn ${ends}`,
        missing: oa.is_verified ? [] : ['OA đã xác thực (OA chưa xác thực không tạo được bài viết)'],
      },
    };
  }
}
