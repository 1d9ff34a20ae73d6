import { basename, extname } from 'node:path';

export const RENDITION_MODES = ['mov-608', 'mp4-text', 'burn'] as const;
export type RenditionMode = (typeof RENDITION_MODES)[number];

/** The container each mode writes: QuickTime is where a `c608` closed-caption track lives. */
export const RENDITION_CONTAINER: Record<RenditionMode, 'mov' | 'mp4'> = {
  'mov-608': 'mov',
  'mp4-text': 'mp4',
  burn: 'mp4',
};

/**
 * The word before the extension. `mp4-text` and `burn` both write MP4, so they need different
 * words or one would silently replace the other.
 */
export const RENDITION_SUFFIX: Record<RenditionMode, 'captioned' | 'burned'> = {
  'mov-608': 'captioned',
  'mp4-text': 'captioned',
  burn: 'burned',
};

/** `<stem>.captioned.mov`, `<stem>.captioned.mp4` or `<stem>.burned.mp4` for the recording at `mediaPath`. */
export function renditionFileName(mediaPath: string, mode: RenditionMode): string {
  return `${basename(mediaPath, extname(mediaPath))}.${RENDITION_SUFFIX[mode]}.${RENDITION_CONTAINER[mode]}`;
}
