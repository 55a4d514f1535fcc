/** The little of facebook-nodejs-business-sdk Loa uses (the package ships no types). */
declare module 'facebook-nodejs-business-sdk' {
  export class FacebookAdsApi {
    constructor(accessToken: string, locale?: string, crashLog?: boolean);
    static readonly GRAPH: string;
    static readonly VERSION: string;
    setDebug(flag: boolean): FacebookAdsApi;
    call(method: 'GET' | 'POST', path: string[], params?: Record<string, unknown>): Promise<unknown>;
  }
}
