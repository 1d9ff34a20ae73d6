import { InvalidArgumentError } from 'commander';

const UNIT_SECONDS: Readonly<Record<string, number>> = { m: 60, h: 3600, d: 86_400, w: 604_800 };

/** `7d`, `36h`, `90m`, `2w`, or a date/time (`2026-11-01`): the moment that far back. */
export function parseSince(value: string, now: Date = new Date()): Date {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)\s*([mhdw])$/i.exec(value.trim()) ?? [];
  const unitSeconds = unit === undefined ? undefined : UNIT_SECONDS[unit.toLowerCase()];
  if (amount !== undefined && unitSeconds !== undefined) return new Date(now.getTime() - Number(amount) * unitSeconds * 1000);
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
