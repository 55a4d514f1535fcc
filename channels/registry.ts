import type { ChannelDescriptor } from './descriptor';
import { facebook } from './facebook';
import { radio } from './radio';
import { rss } from './rss';
import { zalo } from './zalo';

/**
 * The registry: the platforms Loa publishes to, one descriptor each, in the order people see them. A new platform is
 * a new folder in channels/ whose index.ts exports its descriptor, and its line here (README: "Adding a channel").
 */
export const REGISTRY: readonly ChannelDescriptor[] = [rss, radio, facebook, zalo];
