import type { Transcript } from '../captions/transcript.js';
import { intervalMapper, type TimeMap } from '../media/time-map.js';

/**
 * A transcript of the speech-only audio, put back on the recording's timeline. The map is
 * monotonic, so words stay in order and apart; a word the engine timed across a join is kept
 * on the side holding most of it.
 */
export function mapTranscriptTimes(transcript: Transcript, map: TimeMap): Transcript {
  const mapper = intervalMapper(map);
  return {
    ...transcript,
    words: transcript.words.map((word) => ({ ...word, ...mapper.word(word.start, word.end) })),
    segments: transcript.segments.map((segment) => ({ ...segment, ...mapper.span(segment.start, segment.end) })),
  };
}
