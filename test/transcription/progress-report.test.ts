import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { progressReporter, renderBar } from '../../src/lib/transcription/progress-report.js';

function sink(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  Object.assign(stream, { isTTY, columns: 100, cursorTo: () => true, clearLine: () => true, moveCursor: () => true });
  return { stream, text: () => chunks.join('') };
}

describe('renderBar', () => {
  it('draws the fraction, clamped', () => {
    expect(renderBar(0.5, 10)).toBe('[#####-----]  50%');
    expect(renderBar(1.7, 4)).toBe('[####] 100%');
    expect(renderBar(-1, 4)).toBe('[----]   0%');
  });
});

describe('progressReporter', () => {
  it('draws a bar on a terminal', async () => {
    const terminal = sink(true);
    const reporter = progressReporter({ log: pino({ level: 'silent' }), label: 'transcribing', stream: terminal.stream });
    reporter.update(0.45);
    await sleep(250); // the spinner redraws on its own interval
    reporter.stop();
    expect(terminal.text()).toContain(`transcribing ${renderBar(0.45)}`);
  });

  it('logs steps instead when not on a terminal', () => {
    const logged = sink(false);
    const lines: string[] = [];
    const log = pino(
      {},
      new Writable({
        write(chunk: Buffer, _e, done) {
          lines.push(JSON.parse(chunk.toString()).msg as string);
          done();
        },
      }),
    );
    const reporter = progressReporter({ log, label: 'transcribing', stream: logged.stream });
    reporter.update(0.5);
    reporter.stop();
    expect(lines).toEqual(['transcribing: 50%']);
    expect(logged.text()).toBe('');
  });
});
