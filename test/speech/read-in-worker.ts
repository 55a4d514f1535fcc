/**
 * Runs the normaliser in a worker thread, so a test can stop a reading that never ends: a hang in synchronous
 * code cannot be interrupted by the test runner itself.
 */
import { parentPort } from 'node:worker_threads';

import { normalise } from '../../src/speech';
import { loadAbbreviations } from '../../src/speech/dictionary';

const abbreviations = loadAbbreviations();

parentPort?.on('message', (line: string) => {
  const started = process.hrtime.bigint();
  const { text } = normalise(line, { abbreviations });
  parentPort?.postMessage({ text, ms: Number(process.hrtime.bigint() - started) / 1e6 });
});
