/**
 * The text of each cue in SubRip that FFmpeg printed, without the styling its 608 decoder
 * adds (`<font face="Monospace">`, `{\an7}`, `\h`), rows joined by a space.
 */
export function srtCueTexts(srt: string): string[] {
  return srt
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((cue) => cue.split('\n').filter((line, i) => !(i === 0 && /^\d+$/.test(line.trim())) && !line.includes('-->')))
    .map((rows) =>
      rows
        .join(' ')
        .replace(/<[^>]+>/g, '')
        .replace(/\{\\[^}]*\}/g, '')
        .replace(/\\h/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((text) => text !== '');
}
