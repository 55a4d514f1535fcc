/**
 * `loa worker` as a test's child process, with the fake non-idempotent platform (FAKE_PLATFORM_URL) added to the
 * installation's own channels. Run: node test/support/fake-worker.js (see startFakeWorker in operations tests).
 */
import { createAdapters } from '../../channels';
import { Templates } from '../../channels/template';
import { readConfig } from '../../src/config';
import { runWorkerUntilSignal } from '../../worker/run';
import { FakePlatformAdapter } from './fake-platform';

const config = readConfig();
const facebook = new FakePlatformAdapter(new Templates(config.templatesDir), () => process.env.FAKE_PLATFORM_URL ?? '');
runWorkerUntilSignal(config, { adapters: { ...createAdapters(config), facebook } }).then(
  // Like bin/loa.js: the process ends when nothing is left running, never by a forced exit here.
  () => (process.exitCode = 0),
  (error: Error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
