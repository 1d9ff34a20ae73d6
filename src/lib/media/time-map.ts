import type { SampleSpan } from './speech-spans.js';

/**
 * Engine time (seconds into the audio the engine heard: the kept spans back to back) to
 * recording time. Piecewise: inside kept span k the recording is ahead by a whole number of
 * samples, the silence skipped before it, so each piece is `t + offset`, exact.
 */
export interface TimeMap {
  sampleRate: number;
  /** Kept spans of the recording's audio, in order, not overlapping. */
  kept: readonly SampleSpan[];
}

interface Piece {
  /** Where the piece starts and ends in engine time, in samples. */
  from: number;
  to: number;
  /** Recording sample minus engine sample inside the piece. */
  offset: number;
}

function pieces(map: TimeMap): Piece[] {
  let at = 0;
  return map.kept.map((span) => {
    const length = span.end - span.start;
    const piece = { from: at, to: at + length, offset: span.start - at };
    at += length;
    return piece;
  });
}

/** Seconds the engine hears under this map. */
export function engineSeconds(map: TimeMap): number {
  return map.kept.reduce((sum, span) => sum + span.end - span.start, 0) / map.sampleRate;
}

/**
 * Which piece holds engine time `t`. A time exactly on a join belongs to the piece after it
 * when it starts something (`start`) and to the piece before when it ends something (`end`).
 * Times before the first piece or past the last (an engine's padding) take the nearest.
 */
function pieceIndex(all: readonly Piece[], samples: number, edge: 'start' | 'end'): number {
  for (let k = 0; k < all.length; k++) {
    const piece = all[k];
    if (piece === undefined) break;
    if (edge === 'start' ? samples < piece.to : samples <= piece.to) return k;
  }
  return all.length - 1;
}

function toRecording(piece: Piece | undefined, t: number, sampleRate: number): number {
  return piece === undefined ? t : t + piece.offset / sampleRate;
}

/** The recording time of engine time `t` (`edge` as in pieceIndex). */
export function recordingTime(map: TimeMap, t: number, edge: 'start' | 'end'): number {
  const all = pieces(map);
  return toRecording(all[pieceIndex(all, t * map.sampleRate, edge)], t, map.sampleRate);
}

/** A compiled map for many look-ups (a transcript's words). */
export interface IntervalMapper {
  /** A stretch that may run across joins (a segment): each end mapped on its own side. */
  span(start: number, end: number): { start: number; end: number };
  /**
   * A stretch that must stay whole (a word): kept in the piece holding most of it and
   * clamped to that piece, so no word is stretched across a skipped silence.
   */
  word(start: number, end: number): { start: number; end: number };
}

export function intervalMapper(map: TimeMap): IntervalMapper {
  const all = pieces(map);
  const rate = map.sampleRate;
  const at = (t: number, edge: 'start' | 'end'): number => toRecording(all[pieceIndex(all, t * rate, edge)], t, rate);
  return {
    span(start, end) {
      const from = at(start, 'start');
      return { start: from, end: Math.max(from, at(end, 'end')) };
    },
    word(start, end) {
      const first = pieceIndex(all, start * rate, 'start');
      const last = pieceIndex(all, end * rate, 'end');
      const shift = (piece: Piece | undefined, from: number, to: number) => ({
        start: toRecording(piece, from, rate),
        end: toRecording(piece, Math.max(from, to), rate),
      });
      if (first >= last) return shift(all[first], start, end);
      let best: Piece | undefined;
      let bestOverlap = -Infinity;
      for (const piece of all.slice(first, last + 1)) {
        const overlap = Math.min(end * rate, piece.to) - Math.max(start * rate, piece.from);
        if (overlap > bestOverlap) {
          best = piece;
          bestOverlap = overlap;
        }
      }
      if (best === undefined) return shift(all[first], start, end);
      return shift(best, Math.max(start, best.from / rate), Math.min(end, best.to / rate));
    },
  };
}
