import { AsyncLocalStorage } from 'node:async_hooks';

import type { AxiosError, AxiosResponse } from 'axios';

/**
 * The one place Loa talks to the Graph API through facebook-nodejs-business-sdk, and the one documented place its
 * host and version are set:
 * - LOA_FACEBOOK_GRAPH_URL (default https://graph.facebook.com) and LOA_FACEBOOK_API_VERSION (default the SDK's
 *   own, e.g. v24.0). The SDK reads both from static getters (`FacebookAdsApi.GRAPH`, `.VERSION`); they are
 *   redefined here, once, to read Loa's setting.
 * - The crash reporter is never installed (the third constructor argument): by default it adds a process-wide
 *   `uncaughtException` handler that posts to Facebook. Debug logging (which prints URLs with the token) is never on.
 * - The SDK takes no timeout and no abort signal, and keeps the token in the URL of the errors it builds. So each
 *   call runs in an AsyncLocalStorage scope that an axios interceptor (the SDK's own axios) reads: it sets the
 *   timeout and signal and records status, headers and the network error code. Loa classifies from that record
 *   and drops the SDK's error object, so no URL with the token ever reaches a log or the database.
 */

export interface GraphTarget {
  graphUrl: string;
  apiVersion: string | null;
}

export function graphTargetFromEnv(env: NodeJS.ProcessEnv = process.env): GraphTarget {
  return {
    graphUrl: (env.LOA_FACEBOOK_GRAPH_URL || 'https://graph.facebook.com').replace(/\/+$/, ''),
    apiVersion: env.LOA_FACEBOOK_API_VERSION || null,
  };
}

/** What one call got back, whatever happened. */
export type GraphAnswer =
  | { kind: 'answer'; status: number; body: unknown; headers: Record<string, string> }
  /** No answer: `sent` false only when the request certainly never left (connection refused, name not found). */
  | { kind: 'no-answer'; sent: boolean; code: string };

interface CallScope {
  timeoutMs: number;
  signal: AbortSignal;
  response?: { status: number; headers: Record<string, string>; body: unknown };
  networkCode?: string;
}

const scope = new AsyncLocalStorage<CallScope>();
type Sdk = typeof import('facebook-nodejs-business-sdk');
let sdk: Sdk | undefined;
let target: GraphTarget = graphTargetFromEnv();

/** Errors that prove the request never reached the server: safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function headersOf(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries((headers ?? {}) as Record<string, unknown>))
    if (value !== undefined) out[name.toLowerCase()] = String(value);
  return out;
}

/** Loads the SDK once (it is large: commands that never publish do not pay for it) and points it at `target`. */
function loadSdk(): Sdk {
  if (sdk) return sdk;
  const loaded = require('facebook-nodejs-business-sdk') as Sdk;
  Object.defineProperty(loaded.FacebookAdsApi, 'GRAPH', { get: () => target.graphUrl, configurable: true });
  const own = loaded.FacebookAdsApi.VERSION;
  Object.defineProperty(loaded.FacebookAdsApi, 'VERSION', { get: () => target.apiVersion ?? own, configurable: true });
  const axios = (require('axios') as typeof import('axios')).default;
  axios.interceptors.request.use((config) => {
    const current = scope.getStore();
    if (current) {
      config.timeout = current.timeoutMs;
      config.signal = current.signal;
      // Graph errors come with 4xx/5xx; keep them as answers, the SDK still sees a rejection.
    }
    return config;
  });
  axios.interceptors.response.use(
    (response: AxiosResponse) => {
      const current = scope.getStore();
      if (current)
        current.response = { status: response.status, headers: headersOf(response.headers), body: response.data };
      return response;
    },
    (error: AxiosError) => {
      const current = scope.getStore();
      if (current) {
        if (error.response)
          current.response = {
            status: error.response.status,
            headers: headersOf(error.response.headers),
            body: error.response.data,
          };
        else current.networkCode = error.code ?? 'ERR_NETWORK';
      }
      return Promise.reject(error);
    },
  );
  sdk = loaded;
  return loaded;
}

/** Points the SDK at a Graph host and version (from LOA_FACEBOOK_GRAPH_URL / LOA_FACEBOOK_API_VERSION). */
export function pointSdkAt(next: GraphTarget): void {
  target = next;
}

export function apiVersion(): string {
  return loadSdk().FacebookAdsApi.VERSION;
}

function parseBody(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return body; // an HTML error page from a proxy: kept as text, classified by its status
  }
}

/**
 * One Graph call with the SDK: GET or POST on `path` (e.g. [pageId, 'feed']). Never throws: the answer says what
 * happened. `signal` aborts it (the attempt's deadline, the worker stopping); `timeoutMs` bounds it.
 */
export async function graphCall(
  token: string,
  method: 'GET' | 'POST',
  path: string[],
  params: Record<string, unknown>,
  options: { timeoutMs: number; signal: AbortSignal },
): Promise<GraphAnswer> {
  const { FacebookAdsApi } = loadSdk();
  const call: CallScope = { timeoutMs: options.timeoutMs, signal: options.signal };
  await scope.run(call, async () => {
    const api = new FacebookAdsApi(token, 'vi_VN', false).setDebug(false);
    // The SDK's own error (FacebookRequestError) carries the URL with the token: it is dropped here on purpose,
    // the interceptor has already recorded what Loa needs.
    await api.call(method, path, params).catch(() => undefined);
  });
  if (call.response)
    return {
      kind: 'answer',
      status: call.response.status,
      body: parseBody(call.response.body),
      headers: call.response.headers,
    };
  const code = call.networkCode ?? 'ERR_NETWORK';
  return { kind: 'no-answer', sent: !NOT_SENT_CODES.has(code), code };
}

/** Removes a token from any text before it is shown, logged or stored (also `access_token=…` in URLs). */
export function scrubToken(text: string, token: string | null): string {
  let out = text.replace(/access_token=[^&\s"']+/g, 'access_token=***');
  if (token && token.length >= 8) out = out.split(token).join('***');
  return out;
}
