import type { AttemptContext, EarlierAttempt } from '../../channels/types';

/** A first attempt as the worker hands it to an adapter, for adapter tests without a worker; `progress` is kept. */
export function testAttempt(
  earlier: EarlierAttempt[] = [],
  startedAt = new Date(),
): AttemptContext & { steps: Record<string, string> } {
  const steps: Record<string, string> = {};
  return {
    attemptNo: earlier.length + 1,
    startedAt,
    earlier,
    steps,
    progress: async (step, value) => {
      steps[step] = value;
    },
    signal: new AbortController().signal,
  };
}
