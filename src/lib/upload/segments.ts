export const MIB = 1024 * 1024;

/** An empty file is still one (empty) segment: Cablecast wants totalSegments >= 1. */
export function segmentCount(size: number, segmentBytes: number): number {
  return Math.max(1, Math.ceil(size / segmentBytes));
}

/** Where segment `index` lies in the file. */
export function segmentRange(index: number, size: number, segmentBytes: number): { position: number; length: number } {
  const position = index * segmentBytes;
  return { position, length: Math.max(0, Math.min(segmentBytes, size - position)) };
}

/** Segments still to send, in file order. */
export function pendingSegments(totalSegments: number, acked: readonly number[]): number[] {
  const done = new Set(acked);
  return Array.from({ length: totalSegments }, (_, i) => i).filter((i) => !done.has(i));
}
