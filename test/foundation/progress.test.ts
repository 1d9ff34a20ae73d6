import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { progressFactory, renderBar } from '../../src/lib/cli/progress.js';
import { until } from '../support/until.js';

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

function logLines(): { log: pino.Logger; lines: string[] } {
  const lines: string[] = [];
  const log = pino(
    {},
    new Writable({
      write(chunk: Buffer, _e, done) {
        lines.push((JSON.parse(chunk.toString()) as { msg: string }).msg);
        done();
      },
    }),
  );
  return { log, lines };
}

describe('renderBar', () => {
  it('draws the fraction, clamped', () => {
    expect(renderBar(0.5, 10)).toBe('[#####-----]  50%');
    expect(renderBar(1.7, 4)).toBe('[####] 100%');
    expect(renderBar(-1, 4)).toBe('[----]   0%');
  });
});

describe('progressFactory', () => {
  it('draws a bar for a person at a terminal', async () => {
    const terminal = sink(true);
    const bar = progressFactory({ interactive: true, stream: terminal.stream, log: pino({ level: 'silent' }) }).bar('transcribing');
    bar.update(0.45);
    // The spinner redraws on its own interval.
    await until('the bar is drawn', () => terminal.text().includes(`transcribing ${renderBar(0.45)}`));
    bar.stop();
  });

  it('logs steps instead when nobody watches, even on a terminal (--json)', () => {
    const terminal = sink(true);
    const { log, lines } = logLines();
    const progress = progressFactory({ interactive: false, stream: terminal.stream, log });
    const bar = progress.bar('transcribing');
    bar.update(0.05);
    bar.update(0.5);
    bar.stop();
    progress.spinner('looking for new recordings').stop();
    expect(lines).toEqual(['transcribing: 50%', 'looking for new recordings']);
    expect(terminal.text()).toBe('');
  });
});
