/** `HH:MM:SS` of a time in seconds, rounded down: where a clerk scrubs to. */
export function stamp(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor(total / 60) % 60)}:${pad(total % 60)}`;
}
