import { InvalidArgumentError } from 'commander';

/** `7d`, `36h`, `90m`, `2w`, or a date/time (`2026-11-01`): the moment that far back. */
export function parseSince(value: string, now: Date = new Date()): Date {
  const relative = /^(\d+(?:\.\d+)?)\s*(m|h|d|w)$/i.exec(value.trim());
  if (relative) {
    const unit = { m: 60, h: 3600, d: 86_400, w: 604_800 }[relative[2]!.toLowerCase() as 'm' | 'h' | 'd' | 'w'];
    return new Date(now.getTime() - Number(relative[1]) * unit * 1000);
  }
  const absolute = new Date(value);
  if (/^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(absolute.getTime())) return absolute;
  throw new InvalidArgumentError(`expected a duration like 7d, 36h, 90m or a date like 2026-11-01, got "${value}"`);
}

export function parsePositiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

export function parseMinutes(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected minutes greater than 0, got "${value}"`);
  return n;
}
