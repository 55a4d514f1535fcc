/**
 * The one place Loa talks to the Graph API, and the one place its host and version are set.
 *
 * - The version Loa speaks is pinned here (`GRAPH_API_VERSION`), and may be overridden with
 *   LOA_FACEBOOK_API_VERSION. It matches the version facebook-nodejs-business-sdk was generated for (a test checks
 *   it), so the SDK's description of a Page post (`PagePost.Fields`, channels/facebook/post-fields.ts) is the list of
 *   fields that exist in the version Loa calls. When to raise it: README, "Facebook".
 * - The host is LOA_FACEBOOK_GRAPH_URL (default https://graph.facebook.com); tests and the demo point it at
 *   src/demo/fake-graph-api.ts.
 * - Calls go through the built-in fetch (undici), not the SDK's request path: the SDK takes no timeout and no abort
 *   signal, hides the answer's headers (the usage headers Loa paces by) and puts the token in the URLs of the errors
 *   it builds. Here each call has a timeout and the attempt's signal, returns status, headers and body whatever
 *   happened, and sends the token in the Authorization header, never in a URL, so no log of a URL can leak it.
 */

/** The Graph API version Loa is written and tested against (the SDK's own, facebook-nodejs-business-sdk 24.0). */
export const GRAPH_API_VERSION = 'v24.0';
export const DEFAULT_GRAPH_URL = 'https://graph.facebook.com';

export interface GraphTarget {
  /** LOA_FACEBOOK_GRAPH_URL, without a trailing slash. */
  graphUrl: string;
  /** LOA_FACEBOOK_API_VERSION, or GRAPH_API_VERSION. */
  apiVersion: string;
}

export function graphTargetFromEnv(env: NodeJS.ProcessEnv = process.env): GraphTarget {
  const version = env.LOA_FACEBOOK_API_VERSION?.trim() || GRAPH_API_VERSION;
  if (!/^v\d{1,3}\.\d{1,2}$/.test(version))
    throw new Error(
      `LOA_FACEBOOK_API_VERSION: "${version.slice(0, 20)}" không phải phiên bản Graph API, cần dạng v24.0`,
    );
  return {
    graphUrl: (env.LOA_FACEBOOK_GRAPH_URL?.trim() || DEFAULT_GRAPH_URL).replace(/\/+$/, ''),
    apiVersion: version,
  };
}

/** What one call got back, whatever happened. */
export type GraphAnswer =
  | { kind: 'answer'; status: number; body: unknown; headers: Record<string, string> }
  /** No answer: `sent` false only when the request certainly never left (connection refused, name not found). */
  | { kind: 'no-answer'; sent: boolean; code: string };

/**
 * A kept-alive connection the server had already closed: undici finds out only when it writes on it. Safe to try
 * again at once for a read (GET); a post is never sent twice.
 */
const STALE_SOCKET_CODES = new Set(['ECONNRESET', 'UND_ERR_SOCKET', 'EPIPE']);

/** Errors that prove the request never reached the server: safe to send again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // an HTML error page from a proxy: kept as text, classified by its status
  }
}

/** fetch hides the reason in `cause` (ECONNREFUSED…); a URL never goes into the code. */
function networkCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } }).cause;
  return typeof cause?.code === 'string' ? cause.code : 'ERR_NETWORK';
}

export class GraphClient {
  constructor(
    readonly target: GraphTarget,
    /** Bound on each call (LOA_FACEBOOK_TIMEOUT_MS, default 15 s). */
    private readonly timeoutMs: number,
  ) {}

  /**
   * One Graph call: GET, POST or DELETE on `path` (e.g. [pageId, 'feed']) under the pinned version. Never throws: the answer
   * says what happened. `token` travels as `Authorization: Bearer`; `signal` aborts the call.
   */
  async call(
    token: string | null,
    method: 'GET' | 'POST' | 'DELETE',
    path: string[],
    params: Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ): Promise<GraphAnswer> {
    const answer = await this.once(token, method, path, params, signal);
    if (method === 'GET' && answer.kind === 'no-answer' && STALE_SOCKET_CODES.has(answer.code))
      return this.once(token, method, path, params, signal);
    return answer;
  }

  private async once(
    token: string | null,
    method: 'GET' | 'POST' | 'DELETE',
    path: string[],
    params: Record<string, string | number | undefined>,
    signal?: AbortSignal,
  ): Promise<GraphAnswer> {
    const form = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value !== undefined) form.set(name, String(value));
    const address = `${this.target.graphUrl}/${[this.target.apiVersion, ...path].map(encodeURIComponent).join('/')}`;
    const url = method === 'GET' && [...form].length > 0 ? `${address}?${form}` : address;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (method === 'POST') headers['content-type'] = 'application/x-www-form-urlencoded';
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: method === 'POST' ? form : undefined,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      const code = timeout.aborted ? 'ETIMEDOUT' : signal?.aborted ? 'ABORTED' : networkCode(error);
      return { kind: 'no-answer', sent: !NOT_SENT_CODES.has(code), code };
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      // The headers came, the body did not: the request certainly arrived.
      return { kind: 'no-answer', sent: true, code: timeout.aborted ? 'ETIMEDOUT' : networkCode(error) };
    }
    const out: Record<string, string> = {};
    response.headers.forEach((value, name) => (out[name.toLowerCase()] = value));
    return { kind: 'answer', status: response.status, body: parseBody(text), headers: out };
  }
}

/** Removes a token from any text before it is shown, logged or stored (also `access_token=…` in URLs). */
export function scrubToken(text: string, token: string | null): string {
  let out = text.replace(/access_token=[^&\s"']+/g, 'access_token=***');
  if (token && token.length >= 8) out = out.split(token).join('***');
  return out;
}
