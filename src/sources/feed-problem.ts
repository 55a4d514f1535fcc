/** Why a feed could not be read; `message` is the Vietnamese sentence shown on the source's status. */
export type FeedProblemKind =
  | 'bad-url'
  | 'private-address'
  | 'timeout'
  | 'network'
  | 'http-status'
  | 'too-large'
  | 'redirect-loop'
  | 'too-many-redirects'
  | 'invalid-feed'
  | 'no-plan';

export class FeedProblem extends Error {
  override name = 'FeedProblem';
  constructor(
    readonly kind: FeedProblemKind,
    message: string,
  ) {
    super(message);
  }
}
