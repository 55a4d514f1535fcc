import type { ChannelDescriptor } from '../descriptor';
import { FacebookAdapter, facebookOptionsFromEnv } from './facebook-adapter';
import { graphTargetFromEnv } from './graph-client';

/** A Facebook Page, through the Graph API. */
export const facebook: ChannelDescriptor = {
  name: 'facebook',
  label: 'Facebook',
  words: ['facebook', 'fanpage'],
  socialNetwork: true,
  /** Facebook's audience is there in the evening: Wednesdays at 19:30. */
  publishingTime: { weekday: 3, hour: 19, minute: 30 },
  env: [
    'LOA_FACEBOOK_GRAPH_URL',
    'LOA_FACEBOOK_API_VERSION',
    'LOA_FACEBOOK_TIMEOUT_MS',
    'LOA_FACEBOOK_PAGE_ID',
    'LOA_FACEBOOK_PAGE_TOKEN',
    'LOA_FACEBOOK_APP_ID',
    'LOA_FACEBOOK_APP_SECRET',
    'LOA_FACEBOOK_DIALOG_URL',
  ],
  create: ({ templates, services, env }) =>
    new FacebookAdapter(templates, facebookOptionsFromEnv(graphTargetFromEnv(env), env), services),
};
