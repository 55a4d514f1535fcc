import type { ChannelDescriptor } from '../descriptor';
import { docxDelayFrom, RadioAdapter } from './radio-adapter';

/**
 * "Đài phát thanh xã", "đài phát thanh cấp huyện": a commune's or district's station (the older name of its truyền
 * thanh) runs the loudspeakers; without a level it is the provincial radio-TV, which Loa does not publish to.
 */
const LOCAL_STATION = new RegExp(
  String.raw`(?<![\p{L}\p{M}])đài\s+phát\s+thanh(?=\s+(?:cấp\s+)?(?:xã|phường|thị trấn|huyện|quận|thị xã|cơ sở)(?![\p{L}\p{M}]))`,
  'iu',
);

/** A commune radio station (Đài truyền thanh cơ sở): scripts written for the ear, exported as files. */
export const radio: ChannelDescriptor = {
  name: 'radio',
  label: 'Đài truyền thanh cơ sở',
  words: ['truyền thanh', 'loa', LOCAL_STATION],
  /** Commune stations broadcast at dawn: Fridays at 06:00. */
  publishingTime: { weekday: 5, hour: 6, minute: 0 },
  env: ['LOA_RADIO_DOCX_DELAY_MS'],
  create: ({ templates, settings, services, env }) =>
    new RadioAdapter(templates, settings.exportDir, { services, docxDelayMs: docxDelayFrom(env) }),
};
