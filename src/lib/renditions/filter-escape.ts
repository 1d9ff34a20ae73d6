/**
 * FFmpeg reads a filter option twice: the filtergraph parser takes the filter's argument
 * string apart (`[ ] , ;` end it), then the filter's option parser splits it at `:`. Both use
 * av_get_token, where text inside '...' is literal and a quote itself is written by closing
 * the quotes, adding \' and reopening. Quoting at both levels keeps every byte of a path
 * (colons, commas, brackets, backslashes, quotes, leading or trailing spaces) as it is.
 * See "Quoting and escaping" in ffmpeg-utils(1) and "Notes on filtergraph escaping" in
 * ffmpeg-filters(1).
 */
function quoteForAvToken(text: string): string {
  return `'${text.replace(/'/g, "'\\''")}'`;
}

/** A path as the value of a filter option inside a `-vf`/`-filter_complex` graph. */
export function escapeFilterPath(path: string): string {
  return quoteForAvToken(quoteForAvToken(path));
}

/** The `subtitles` filter (libass) drawing a subtitle file into the picture. */
export function subtitlesFilter(subtitlePath: string): string {
  return `subtitles=filename=${escapeFilterPath(subtitlePath)}`;
}
