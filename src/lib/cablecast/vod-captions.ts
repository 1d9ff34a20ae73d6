import type { Show, Vod } from './schemas.js';

/**
 * Whether a show is captioned already, and by what. Cablecast publishes `vod.m3u8` beside
 * `vod.mp4`; once the VOD has captions it lists a `#EXT-X-MEDIA:TYPE=SUBTITLES` entry
 * (`captions.en.m3u8`, on older servers `captions.m3u8`). `show.hasCaptions` says the same
 * without a request. A show whose captions come from Cablecast's own service
 * (`generateCaptions`) or a named provider is someone else's to caption.
 */
export type CaptionService = { by: 'generateCaptions' } | { by: 'captionProvider'; provider: string };

export type CaptionCheck =
  | { state: 'captioned'; by: 'hasCaptions' | 'playlist'; reason: string }
  | { state: 'captioned-elsewhere'; service: CaptionService; reason: string }
  | { state: 'uncaptioned'; reason: string }
  /** The playlist could not be read (403, 5xx, reset, not a playlist): ask again next run. */
  | { state: 'unknown'; reason: string };

export interface CaptionCheckOptions {
  /** Check a show even when Cablecast's captioning or a provider is set for it. */
  ignoreCaptionService?: boolean | undefined;
}

export function captionService(show: Show): CaptionService | null {
  if (show.generateCaptions === true) return { by: 'generateCaptions' };
  const provider = show.captionProvider?.trim() ?? '';
  return provider === '' ? null : { by: 'captionProvider', provider };
}

export function describeCaptionService(service: CaptionService): string {
  return service.by === 'generateCaptions'
    ? "Cablecast's own captioning is on for this show (generateCaptions)"
    : `captions for this show come from ${JSON.stringify(service.provider)} (captionProvider)`;
}

/** `vod.m3u8` in the folder of the VOD's file, or null when the VOD names no usable URL. */
export function playlistUrl(vod: Vod): URL | null {
  if (typeof vod.url !== 'string' || vod.url === '') return null;
  try {
    return new URL('vod.m3u8', vod.url);
  } catch {
    return null;
  }
}

export function isHlsPlaylist(text: string): boolean {
  return text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .startsWith('#EXTM3U');
}

/** The URI of the playlist's first subtitles rendition, or null when it lists none. */
export function subtitlesUri(playlist: string): string | null {
  for (const line of playlist.split(/\r?\n/)) {
    if (!line.startsWith('#EXT-X-MEDIA:')) continue;
    const attributes = new Map<string, string>();
    for (const match of line.slice('#EXT-X-MEDIA:'.length).matchAll(/([A-Z0-9-]+)=("[^"]*"|[^,]*)/g)) {
      const [, name = '', value = ''] = match;
      attributes.set(name, value.replace(/^"|"$/g, ''));
    }
    if (attributes.get('TYPE') === 'SUBTITLES') return attributes.get('URI') ?? '';
  }
  return null;
}
