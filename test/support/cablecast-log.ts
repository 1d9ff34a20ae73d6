import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export interface CapturedLog {
  log: Logger;
  /** Raw JSON lines, for "this never appears anywhere" assertions. */
  text(): string;
  entries(): { level: number; msg: string; [key: string]: unknown }[];
}

export function captureLog(): CapturedLog {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return {
    log: pino({ level: 'debug' }, sink),
    text: () => lines.join('\n'),
    entries: () => lines.map((l) => JSON.parse(l) as { level: number; msg: string }),
  };
}
