import { basename, extname } from 'node:path';

export const RENDITION_MODES = ['mov-608', 'mp4-text', 'burn'] as const;
export type RenditionMode = (typeof RENDITION_MODES)[number];

/** The container each mode writes: QuickTime is where a `c608` closed-caption track lives. */
export const RENDITION_CONTAINER: Record<RenditionMode, 'mov' | 'mp4'> = {
  'mov-608': 'mov',
  'mp4-text': 'mp4',
  burn: 'mp4',
};

/** `<stem>.captioned.<ext>` for the recording at `mediaPath`. */
export function renditionFileName(mediaPath: string, mode: RenditionMode): string {
  return `${basename(mediaPath, extname(mediaPath))}.captioned.${RENDITION_CONTAINER[mode]}`;
}
