/**
 * The width text for a person is laid out for, and whether it may cut to keep to it. Decided
 * once per command from where stdout goes (`lineWidthOf`); every table and wrapped line gets it.
 */
export interface LineWidth {
  /** Columns to fit: the terminal's, or 100 off one. */
  readonly columns: number;
  /**
   * On a terminal the screen is a hard limit (and `--json` has everything whole): a word wider
   * than its column is shortened with an ellipsis, a cell cut at its column's line limit. Off a
   * terminal (a file, a pipe, a mail, the journal) the text is what the reader acts on: no word
   * is shortened and nothing is cut without saying where to read it whole, so a line or a table
   * grows past `columns` just enough for its longest word.
   */
  readonly hard: boolean;
}

/** Tables and text read off a terminal (a mail, a log) wrap at this width. */
const OFF_TERMINAL_COLUMNS = 100;

/** A terminal's width (100 columns when it does not say) is a hard limit; anything else wraps at 100 and cuts nothing. */
export function lineWidthOf(stream: { isTTY?: boolean | undefined; columns?: number | undefined }): LineWidth {
  const hard = stream.isTTY === true;
  const columns = hard && stream.columns !== undefined && stream.columns > 0 ? stream.columns : OFF_TERMINAL_COLUMNS;
  return { columns, hard };
}

/** The same width less `by` columns (an indent), never under `min`. */
export function inset(width: LineWidth, by: number, min = 1): LineWidth {
  return { ...width, columns: Math.max(min, width.columns - by) };
}
