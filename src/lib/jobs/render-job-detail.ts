import { fitTable } from '../status/fit-table.js';
import { formatTime } from '../status/format.js';
import { paintState } from '../text/colour.js';
import { inset, type LineWidth } from '../text/line-width.js';
import { stringifyForTerminal, terminalSafe } from '../text/terminal-safe.js';
import { wrapWords } from '../text/wrap-words.js';
import type { JobDetail } from './job-detail.js';

/**
 * `jobs show`: the one place a job's whole error, output and files are printed, wrapped and
 * never cut, on a terminal too: it is where every cut elsewhere (`… jobs show 12`) sends the
 * reader, so a word wider than the screen runs past it rather than losing its middle.
 */
export function renderJobDetail(detail: JobDetail, options: { width: LineWidth; colour: boolean }): string {
  const { job, media } = detail;
  const whole: LineWidth = { ...options.width, hard: false };
  const wrap = (text: string, indent = ''): string[] =>
    wrapWords(terminalSafe(text, { keepNewlines: true }), inset(whole, indent.length, 20)).map((l) => `${indent}${l}`);
  const out = [
    `job ${job.id}: ${job.kind}, ${paintState(job.state, job.state, options.colour)}, attempt ${job.attempts} of ${job.max_attempts}`,
    ...wrap(`recording: media ${media.id} (${media.site}${media.state === 'missing' ? ', missing' : ''}) ${media.path}`),
    ...wrap(
      `created ${formatTime(job.created_at)}; updated ${formatTime(job.updated_at)}; started ${formatTime(job.locked_at)}; ` +
        `finished ${formatTime(job.finished_at)}${job.state === 'queued' ? `; runs after ${formatTime(job.run_after)}` : ''}`,
    ),
    '',
    'error:',
    ...(job.last_error === null ? ['  (none)'] : wrap(job.last_error, '  ')),
    '',
    'output:',
    ...(job.output === null
      ? ['  (none)']
      : stringifyForTerminal(job.output, 2)
          .split('\n')
          .map((l) => `  ${terminalSafe(l)}`)),
    '',
    'files:',
    ...(detail.files.length === 0 ? ['  (none)'] : detail.files.flatMap((f) => wrap(`${f.kind} (${f.state}) ${f.path}`, '  '))),
    '',
    'history (the recording’s jobs):',
    fitTable(
      [
        { head: 'job' },
        { head: 'kind' },
        { head: 'state' },
        { head: 'attempts' },
        { head: 'created' },
        { head: 'finished' },
        { head: 'last error' },
      ],
      detail.history.map((h) => [
        String(h.id),
        h.kind,
        h.state,
        String(h.attempts),
        formatTime(h.createdAt),
        formatTime(h.finishedAt),
        h.lastError ?? '',
      ]),
      { width: options.width, paint: (cell, column) => (column === 2 ? paintState(cell, cell, options.colour) : cell) },
    ),
  ];
  return out.join('\n');
}
