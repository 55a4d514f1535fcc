import type { AttemptContext, EarlierAttempt } from '../../channels/types';

/** A first attempt as the worker hands it to an adapter, for adapter tests without a worker; `progress` is kept. */
export function testAttempt(
  earlier: EarlierAttempt[] = [],
  startedAt = new Date(),
): AttemptContext & { steps: Record<string, string>; recorded: Record<string, string> } {
  const steps: Record<string, string> = {};
  /** What the adapter put in the ledger, by kind. */
  const recorded: Record<string, string> = {};
  return {
    attemptNo: earlier.length + 1,
    startedAt,
    earlier,
    steps,
    progress: async (step, value) => {
      steps[step] = value;
    },
    recorded,
    recordPost: async (kind, externalId) => {
      recorded[kind] = externalId;
    },
    ownedElsewhere: async () => new Set<string>(),
    siblingMayHavePosted: async () => false,
    fence: async () => undefined,
    signal: new AbortController().signal,
  };
}
