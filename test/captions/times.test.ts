import { describe, expect, it } from 'vitest';
import { buildCaptions } from '../../src/lib/captions/files.js';
import { checkWordTimes, TranscriptTimeError } from '../../src/lib/captions/times.js';
import { parseTranscript } from '../../src/lib/captions/transcript.js';
import { UsageError } from '../../src/lib/errors.js';

const transcript = (end: number) =>
  parseTranscript(
    {
      segments: [
        { start: 1, end: 2, text: ' Good evening.' },
        { start: end - 1, end, text: ' Goodbye.' },
      ],
    },
    'meeting.json',
  );

function errorOf(run: () => unknown): TranscriptTimeError {
  try {
    run();
  } catch (error) {
    if (error instanceof TranscriptTimeError) return error;
    throw error;
  }
  throw new Error('expected a TranscriptTimeError');
}

describe('checkWordTimes', () => {
  it('refuses a word past the recording, naming the transcript and the word', () => {
    const error = errorOf(() => checkWordTimes(transcript(4000), { source: 'meeting.json', durationSeconds: 3600 }));
    expect(error).toBeInstanceOf(UsageError);
    expect(error).toMatchObject({ source: 'meeting.json', wordIndex: 2, word: 'Goodbye.', time: 4000 });
    expect(error.message).toBe(
      'meeting.json: word 3 "Goodbye." at 1:06:40.0 (4000 s) is past the end of the recording (1:00:00.0 (3600 s)); no captions were made',
    );
  });

  it('refuses absurd times and times past 24 hours without a duration', () => {
    expect(errorOf(() => checkWordTimes(transcript(1e12), { source: 'x.json' })).message).toBe(
      'x.json: word 3 "Goodbye." at 1000000000000 s is past 24 hours, where SCC timecodes end; no captions were made',
    );
    expect(() => checkWordTimes(transcript(24 * 3600 + 5), { source: 'x.json' })).toThrow(/past 24 hours/);
    expect(() => buildCaptions(transcript(1e12), { source: 'x.json' })).toThrow(TranscriptTimeError);
  });

  it('pulls a last word that runs just past the end back to it', () => {
    const checked = checkWordTimes(transcript(3600.6), { source: 'x.json', durationSeconds: 3600 });
    expect(checked.words.at(-1)?.end).toBe(3600);
    const fine = transcript(100);
    expect(checkWordTimes(fine, { source: 'x.json', durationSeconds: 3600 })).toBe(fine);
  });
});
