import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchProgress, LineSplitter, progressPercent } from '../../src/lib/transcription/progress.js';

describe('LineSplitter', () => {
  it('splits on newlines and on the carriage returns tqdm redraws with, across chunk borders', () => {
    const splitter = new LineSplitter();
    expect(splitter.push('\r 10%|█   | 1/10 [00:01')).toEqual([]);
    expect(splitter.push('<00:09]\r 20%|██')).toEqual([' 10%|█   | 1/10 [00:01<00:09]']);
    expect(splitter.push('  | 2/10\r\nmain: done\n')).toEqual([' 20%|██  | 2/10', 'main: done']);
    expect(splitter.flush()).toEqual([]);
    splitter.push('tail without newline');
    expect(splitter.flush()).toEqual(['tail without newline']);
  });

  it('never loses or invents text, whatever the chunking', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'b', '\n', '\r', ' 5%|'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        (tokens, size) => {
          const text = tokens.join('');
          const splitter = new LineSplitter();
          const lines: string[] = [];
          for (let i = 0; i < text.length; i += size) lines.push(...splitter.push(text.slice(i, i + size)));
          lines.push(...splitter.flush());
          expect(lines).toEqual(text.split(/\r\n|\r|\n/).filter((l) => l !== ''));
        },
      ),
    );
  });
});

describe('progressPercent', () => {
  it('reads whisper.cpp and tqdm progress, and nothing else', () => {
    expect(progressPercent('whisper_print_progress_callback: progress =  45%')).toBe(45);
    expect(progressPercent(' 45%|████▌     | 27/60 [00:10<00:12,  2.70seconds/s]')).toBe(45);
    expect(progressPercent('100%|██████████| 2743/2743 [00:05<00:00, 512.11frames/s]')).toBe(100);
    expect(progressPercent('[00:00:00.000 --> 00:00:02.000]   we spent 45% of the budget')).toBeUndefined();
  });
});

describe('BatchProgress', () => {
  const files = [
    { path: '/w/in/0000.wav', durationSec: 30 },
    { path: '/w/in/0001.wav', durationSec: 10 },
  ];

  it('weights files by duration and follows whisper.cpp naming each file', () => {
    const progress = new BatchProgress(files);
    expect(progress.feed("main: processing '/w/in/0000.wav' (480000 samples, 30.0 sec), 4 threads")).toBeUndefined();
    expect(progress.feed('whisper_print_progress_callback: progress =  50%')).toBeCloseTo(15 / 40);
    expect(progress.feed('whisper_print_progress_callback: progress = 100%')).toBeCloseTo(30 / 40);
    expect(progress.feed("main: processing '/w/in/0001.wav' (160000 samples, 10.0 sec), 4 threads")).toBeUndefined();
    expect(progress.feed('whisper_print_progress_callback: progress =  50%')).toBeCloseTo(35 / 40);
    expect(progress.feed('whisper_print_progress_callback: progress = 100%')).toBe(1);
  });

  it('moves to the next file when a tqdm bar starts over', () => {
    const progress = new BatchProgress(files);
    expect(progress.feed('100%|██████████| 3000/3000')).toBeCloseTo(0.75);
    expect(progress.feed('  0%|          | 0/1000')).toBeUndefined();
    expect(progress.feed(' 50%|█████     | 500/1000')).toBeCloseTo(35 / 40);
  });

  it('only ever reports fractions in (0, 1] that go up', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 50 }),
        fc.array(fc.double({ min: 0, max: 5000, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (percents, durations) => {
          const progress = new BatchProgress(durations.map((durationSec, i) => ({ path: `/in/${i}.wav`, durationSec })));
          let last = 0;
          for (const pct of percents) {
            const fraction = progress.feed(`whisper_print_progress_callback: progress = ${pct}%`);
            if (fraction === undefined) continue;
            expect(fraction).toBeGreaterThan(last);
            expect(fraction).toBeLessThanOrEqual(1);
            last = fraction;
          }
        },
      ),
    );
  });
});

describe('LineSplitter.pendingProgress', () => {
  it('shows a tqdm redraw that no later redraw has terminated, once', () => {
    const splitter = new LineSplitter();
    splitter.push('\r  0%|          | 0/100');
    expect(splitter.pendingProgress()).toBe('  0%|          | 0/100');
    expect(splitter.pendingProgress()).toBeUndefined();
    splitter.push('\r 10%|█         | 10/100');
    expect(splitter.pendingProgress()).toBe(' 10%|█         | 10/100');
    splitter.push('\rDetected language');
    expect(splitter.pendingProgress()).toBeUndefined();
  });
});
