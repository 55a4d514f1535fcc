import { classify, explain, graphErrorOf } from '../../../channels/facebook/graph-errors';

/* A mutation sample left this alive: a bare HTTP 500 (no Graph error object) classed as refused, which never retries. */
describe('Graph errors without a Graph error object', () => {
  test('a bare 500, 502 or 503 is Facebook’s passing trouble: retried, never refused', () => {
    for (const status of [500, 502, 503]) {
      expect(classify(graphErrorOf('Internal Server Error'), status)).toBe('transient');
      expect(classify(graphErrorOf({ error: 'Service Unavailable' }), status)).toBe('transient');
    }
    expect(classify(null, 500)).toBe('transient');
  });

  test('a bare 429 is a rate limit; a bare 4xx otherwise is refused', () => {
    expect(classify(null, 429)).toBe('throttled');
    expect(classify(null, 400)).toBe('refused');
    expect(classify(null, 499)).toBe('refused');
  });

  test('a known code decides whatever the status', () => {
    expect(classify({ message: '', type: null, code: 10, subcode: null, traceId: null }, 500)).toBe('refused');
    expect(classify({ message: '', type: null, code: 2, subcode: null, traceId: null }, 500)).toBe('transient');
  });

  test('the sentence for a bare 500 names the status, in Vietnamese', () => {
    const text = explain('transient', null, 500, { channelId: 'facebook', field: 'body' });
    expect(text).toMatch(/500/);
  });
});
