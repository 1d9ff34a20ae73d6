import type { Media } from '../db/schema.js';
import type { RecordingFacts } from './score.js';

/** The media row's evidence: the file-name date, else the day the file was last written. */
export function recordingFacts(media: Pick<Media, 'title' | 'path' | 'event_date' | 'mtime' | 'duration_sec'>): RecordingFacts {
  return {
    title: media.title ?? media.path.replace(/^.*[/\\]/, '').replace(/\.[^.]+$/, ''),
    date: media.event_date ?? media.mtime?.toISOString().slice(0, 10) ?? null,
    durationSec: media.duration_sec,
  };
}
