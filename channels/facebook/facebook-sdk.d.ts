/**
 * The little of facebook-nodejs-business-sdk Loa uses (the package ships no types): the Graph version it was generated
 * for and its description of a Page post. Loa's calls go through channels/facebook/graph-client.ts.
 */
declare module 'facebook-nodejs-business-sdk' {
  export class FacebookAdsApi {
    static readonly VERSION: string;
  }
  export class PagePost {
    /** Every field a Page post has in the SDK's Graph version, by name (fields removed by Meta are absent). */
    static readonly Fields: Readonly<Record<string, string>>;
  }
}
