/**
 * The shapes of the Zalo Official Account OpenAPI (v2.0) and OAuth (v4) calls Loa makes, as Zalo documents them.
 * Every answer of the OpenAPI is `{ error, message, data? }` with HTTP 200; `error` 0 is success, negative is a failure.
 */

/** One paragraph of an article's body. */
export type ArticleBodyItem = { type: 'text'; content: string } | { type: 'image'; url: string; caption?: string };

export interface ArticleCover {
  cover_type: 'photo';
  photo_url: string;
  status: 'show' | 'hide';
}

/** POST /v2.0/article/create, a "normal" article (not video). */
export interface ArticleCreateRequest {
  type: 'normal';
  title: string;
  author: string;
  cover: ArticleCover;
  description: string;
  body: ArticleBodyItem[];
  status: 'show' | 'hide';
  comment: 'show' | 'hide';
}

/** create answers with a job token, not the article: the article id comes from verify once Zalo has processed it. */
export interface ArticleCreateData {
  token: string;
}

/** POST /v2.0/article/verify */
export interface ArticleVerifyRequest {
  token: string;
}
export interface ArticleVerifyData {
  id: string;
}

/** GET /v2.0/article/getslice?offset&limit&type */
export interface ArticleSliceQuery {
  offset: number;
  limit: number;
  type: 'normal' | 'video';
}
export interface ArticleSummary {
  id: string;
  type: string;
  title: string;
  status: string;
  link?: string;
  thumb?: string;
  /** Milliseconds since the epoch. */
  create_date: number;
  update_date?: number;
  total_view?: number;
  total_share?: number;
}
export interface ArticleSliceData {
  medias: ArticleSummary[];
  total: number;
}

/** POST /v2.0/oa/message: a broadcast of an article to the OA's followers (template "media"). */
export interface BroadcastTarget {
  ages?: string;
  gender?: string;
  locations?: string;
  cities?: string;
  platform?: string;
}
export interface BroadcastRequest {
  recipient: { target: BroadcastTarget };
  message: {
    attachment: {
      type: 'template';
      payload: { template_type: 'media'; elements: Array<{ media_type: 'article'; attachment_id: string }> };
    };
  };
}
export interface BroadcastData {
  message_id: string;
}

/** GET /v2.0/oa/getoa */
export interface OaInfo {
  oa_id: string;
  name: string;
  description?: string;
  is_verified: boolean;
  oa_type?: number;
  num_follower?: number;
  avatar?: string;
  package_name?: string;
}

/** POST {oauth}/v4/oa/access_token (form-encoded, header secret_key) with grant_type=refresh_token. */
export interface RefreshRequest {
  appId: string;
  secretKey: string;
  refreshToken: string;
}
/** Zalo sends expires_in as a string of seconds. */
export interface RefreshAnswer {
  access_token: string;
  refresh_token: string;
  expires_in: string | number;
}
export interface OAuthErrorAnswer {
  error: number;
  error_name?: string;
  error_reason?: string;
  error_description?: string;
}

export interface ApiEnvelope<T> {
  error: number;
  message: string;
  data?: T;
}
