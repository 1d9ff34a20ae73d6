import { isUncarriedNote } from './cea608.js';
import { DROP_REASONS, LOW_PROBABILITY, type DropReason, type DroppedSegment } from './hallucinations.js';
import type { SccRender } from './scc-encode.js';
import type { Caption } from './segment.js';
import type { Transcript } from './transcript.js';

/** DCMP's shortest time on screen and a presentation rate past what viewers read. */
const SHORT_CAPTION_SECONDS = 1.5;
const FAST_WORDS_PER_MINUTE = 200;

/** Per-recording figures a person checks before trusting the captions; JSON as it stands. */
export interface CaptionQuality {
  words: number;
  captions: number;
  /** Presentation rate: words shown over the minutes captions are on screen. */
  wordsPerMinute: number;
  captionsUnder1_5s: number;
  captionsOver200Wpm: number;
  /** Share (0-1) of the words with a probability under `LOW_PROBABILITY`; null when the engine gave none. */
  lowProbabilityShare: number | null;
  droppedSegments: Record<DropReason, number>;
  /** Characters SCC left out (no CEA-608 glyph or fallback), and rows it showed as a bracketed note. */
  sccUncarried: number;
  sccNotes: number;
  /** Segments put back in time order and words dropped as seek-overlap repeats. */
  reorderedSegments: number;
  overlapWords: number;
}

export interface QualityInput {
  /** The transcript the captions were made from (after the hallucination filter). */
  transcript: Transcript;
  captions: readonly Caption[];
  dropped: readonly DroppedSegment[];
  scc?: Pick<SccRender, 'uncarried' | 'notes'> | undefined;
}

/** How captions are presented: the figures a file alone can tell (`captions validate --stats`). */
export interface PresentationFigures {
  captions: number;
  /** Words shown (as the rows read, split at spaces). */
  words: number;
  /** Presentation rate: words shown over the minutes captions are on screen. */
  wordsPerMinute: number;
  captionsUnder1_5s: number;
  captionsOver200Wpm: number;
}

export function presentationFigures(captions: readonly Caption[]): PresentationFigures {
  let shownWords = 0;
  let shownSeconds = 0;
  let short = 0;
  let fast = 0;
  for (const caption of captions) {
    const words = caption.lines
      .join(' ')
      .split(' ')
      .filter((w) => w !== '').length;
    const seconds = caption.end - caption.start;
    shownWords += words;
    shownSeconds += seconds;
    if (seconds < SHORT_CAPTION_SECONDS) short++;
    if ((words * 60) / seconds > FAST_WORDS_PER_MINUTE) fast++;
  }
  return {
    captions: captions.length,
    words: shownWords,
    wordsPerMinute: shownSeconds > 0 ? Math.round((shownWords * 60 * 10) / shownSeconds) / 10 : 0,
    captionsUnder1_5s: short,
    captionsOver200Wpm: fast,
  };
}

export function captionQuality(input: QualityInput): CaptionQuality {
  const { transcript, captions } = input;
  const shown = presentationFigures(captions);
  const probabilities = transcript.words.map((w) => w.probability).filter((p) => p !== undefined);
  const droppedSegments = Object.fromEntries(DROP_REASONS.map((reason) => [reason, 0])) as Record<DropReason, number>;
  for (const entry of input.dropped) droppedSegments[entry.reason]++;
  return {
    words: transcript.words.length,
    captions: captions.length,
    wordsPerMinute: shown.wordsPerMinute,
    captionsUnder1_5s: shown.captionsUnder1_5s,
    captionsOver200Wpm: shown.captionsOver200Wpm,
    lowProbabilityShare:
      probabilities.length > 0
        ? Math.round((probabilities.filter((p) => p < LOW_PROBABILITY).length / probabilities.length) * 1e4) / 1e4
        : null,
    droppedSegments,
    sccUncarried: input.scc?.uncarried ?? 0,
    sccNotes: input.scc?.notes ?? 0,
    reorderedSegments: transcript.repairs?.reorderedSegments ?? 0,
    overlapWords: transcript.repairs?.overlapWords ?? 0,
  };
}

/** What an SCC file shows, from the file alone: its presentation and the rows that stand in for text it could not carry. */
export interface SccFigures extends PresentationFigures {
  notes: number;
}

export function sccFigures(captions: readonly Caption[]): SccFigures {
  return { ...presentationFigures(captions), notes: captions.flatMap((c) => c.lines).filter(isUncarriedNote).length };
}
