export interface ContentRange {
  start: number;
  end: number;
  /** Undefined when the server sends `*` for an unknown length. */
  total: number | undefined;
}

/** Parses `bytes start-end/total` (RFC 9110 §14.4); anything malformed or inconsistent is undefined. */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (value === undefined) return undefined;
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/i.exec(value.trim());
  if (match === null) return undefined;
  const start = Number(match[1]);
  const end = Number(match[2]);
  const total = match[3] === '*' ? undefined : Number(match[3]);
  if (end < start) return undefined;
  if (total !== undefined && end >= total) return undefined;
  return { start, end, total };
}

/** The `bytes *\/total` form a 416 answer carries: how long the file really is. */
export function parseUnsatisfiedRange(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^bytes \*\/(\d+)$/i.exec(value.trim());
  return match === null ? undefined : Number(match[1]);
}

export function parseContentLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}
