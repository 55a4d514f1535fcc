import { type Adapters, PLATFORMS, type PostContext } from '../../../channels';
import type { ChannelAccount, Platform, Unit } from '../../domain/channel';
import type { ContentItem } from '../../domain/content-item';
import type { PreviewLookup, RenderedPreview } from './preview-cache';

export interface PreviewView {
  platform: Platform;
  label: string;
  channelName: string;
  text: string;
  /** e.g. "1 phút 20 giây" for channels that are heard. */
  duration: string | null;
  warnings: string[];
  /** Why this channel could not render the item (a template error, a setting), instead of a preview. */
  error: string | null;
  /** For channels that are heard: where to play the reading, or why it cannot be played. */
  audio: string | null;
  audioNote: string | null;
}

/** Offers a heard preview's text for listening (see draft-audio.ts). */
export type Listen = (text: string, channel: ChannelAccount) => { url: string | null; note: string | null };

function duration(seconds: number | undefined): string | null {
  if (seconds === undefined) return null;
  const s = Math.round(seconds);
  return s >= 60 ? `${Math.floor(s / 60)} phút ${s % 60} giây` : `${s} giây`;
}

/**
 * The item as each platform will show or read it, rendered by the channels' own adapters and templates (never a
 * copy of their rules). The unit's own account is used where it has one, so a station's pace and dialect apply.
 */
export async function previewsFor(
  adapters: Adapters,
  item: ContentItem,
  unit: Unit,
  areaName: string,
  channels: ChannelAccount[],
  at: Date,
  listen?: Listen,
  /** Only these platforms (an item's chosen channels); every platform when left out (the writing page). */
  only?: readonly Platform[],
  /** Renders kept from earlier views of the same inputs (the approval queue); none for drafts being typed. */
  cache?: PreviewLookup,
): Promise<PreviewView[]> {
  const views: PreviewView[] = [];
  for (const platform of PLATFORMS.names) {
    const adapter = adapters[platform];
    if (!adapter || (only && !only.includes(platform))) continue;
    const channel = channels.find((c) => c.platform === platform && c.unitId === unit.id) ?? {
      id: `xem-truoc-${platform}`,
      unitId: unit.id,
      platform,
      name: PLATFORMS.label(platform),
      settings: {},
    };
    const post: PostContext = {
      publication: {
        id: `xem-truoc-${platform}`,
        itemId: item.id,
        channelId: channel.id,
        scheduledAt: at,
        state: 'scheduled',
        reason: null,
        content: null,
        externalId: null,
        externalUrl: null,
        attempts: 0,
        queuedBy: '',
        claimedBy: null,
        leaseUntil: null,
        publishedAt: null,
        createdAt: at,
        updatedAt: at,
      },
      item,
      channel,
      unit,
      areaName,
    };
    const base = { platform, label: PLATFORMS.label(platform), channelName: channel.name };
    const render = async (): Promise<RenderedPreview> => {
      try {
        const rendered = await adapter.render(post);
        const preview = adapter.preview ? adapter.preview(post, rendered) : { text: rendered, warnings: [] };
        const refusal = adapter.checkItem?.(item, channel) ?? null;
        return {
          text: preview.text,
          seconds: preview.seconds,
          warnings: refusal ? [refusal, ...preview.warnings] : preview.warnings,
          error: null,
        };
      } catch (error) {
        return {
          text: '',
          seconds: undefined,
          warnings: [],
          error: error instanceof Error ? error.message : String(error),
        };
      }
    };
    const made = cache
      ? await cache.get([platform, item, unit, areaName, channel, at.toISOString()], render)
      : await render();
    if (made.error !== null) {
      views.push({ ...base, text: '', duration: null, warnings: [], error: made.error, audio: null, audioNote: null });
      continue;
    }
    // Offered on every view, cached or not: the listening link is registered for this process's players.
    const heard = made.seconds !== undefined && listen ? listen(made.text, channel) : null;
    views.push({
      ...base,
      text: made.text,
      duration: duration(made.seconds),
      warnings: [...made.warnings],
      error: null,
      audio: heard?.url ?? null,
      audioNote: heard?.note ?? null,
    });
  }
  return views;
}
