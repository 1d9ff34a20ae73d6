import { decodeScc, describeCaption } from '../captions/scc-decode.js';
import { CAPTION_TIMING } from '../captions/segment.js';
import { MAX_CAPTION_SECONDS } from '../captions/times.js';

/** A word may end this far past the recording's end (engines round), as the transcript check allows. */
const START_TOLERANCE_SECONDS = 1;

/**
 * Why an SCC file we are about to place must not be placed, or undefined when it is sound: our
 * decoder plays it back (header, timecodes, parity, control codes, structure), and every caption
 * must start within the recording and end within the longest time a caption stays on screen
 * after it. Without a known duration only the 24-hour limit of SMPTE timecode applies.
 */
export function sccProblem(text: string, durationSeconds: number | null | undefined): string | undefined {
  const { captions, problems } = decodeScc(text);
  const [first] = problems;
  if (first !== undefined) {
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
    return `line ${first.line}: ${first.message}${more}`;
  }
  if (captions.length === 0) return 'it holds no captions';
  const known = durationSeconds !== null && durationSeconds !== undefined && durationSeconds > 0;
  const lastStart = known ? durationSeconds + START_TOLERANCE_SECONDS : MAX_CAPTION_SECONDS;
  const lastEnd = known ? durationSeconds + CAPTION_TIMING.maxDuration : MAX_CAPTION_SECONDS;
  const limit = known ? `the recording's ${durationSeconds.toFixed(1)} s` : '24 hours';
  const late = captions.find((caption) => caption.start > lastStart || caption.end > lastEnd);
  if (late !== undefined) return `line ${late.line}: the caption ${describeCaption(late)} lies beyond ${limit}`;
  return undefined;
}
