import { createAdapters } from '../../channels';
import type { RadioOptions } from '../../channels/radio/radio-adapter';
import { PROJECT } from '../support/services';

const config = { templatesDir: `${PROJECT}/templates`, exportDir: '/nonexistent', publicUrl: 'http://127.0.0.1' };

/** The delay only moves when the .docx is rebuilt (never timed here): the option the adapter is made with is read. */
const delayOf = (env: NodeJS.ProcessEnv) =>
  (createAdapters(config, undefined, env).radio as unknown as { options: RadioOptions }).options.docxDelayMs;

test('LOA_RADIO_DOCX_DELAY_MS reaches the radio adapter through its descriptor; a bad value leaves the default', () => {
  expect(delayOf({ LOA_RADIO_DOCX_DELAY_MS: '0' })).toBe(0);
  expect(delayOf({ LOA_RADIO_DOCX_DELAY_MS: '250' })).toBe(250);
  expect(delayOf({ LOA_RADIO_DOCX_DELAY_MS: '-5' })).toBeUndefined();
  expect(delayOf({ LOA_RADIO_DOCX_DELAY_MS: 'nhanh' })).toBeUndefined();
  expect(delayOf({})).toBeUndefined();
});
