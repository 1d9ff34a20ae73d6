/**
 * What a recording's file name says about it. The shapes are the ones in the reference's
 * "Flex file names" section (support articles and real shares):
 *
 *   28-1-dn2020-0220-hd.mp4                         {showId}-{reel}-{title}
 *   17601-1-Birchwood City Council (20220111).mp4   {showId}-{reel}-{title} ({date})
 *   17601-88-1 - Lake Elmo Council.mp4              {showId}-{mediaId}-1 - {title} (record events)
 *   17601-1 Birchwood Parks.mp4                     {showId}-1 {title} (watch folders)
 *   14013-Title (20201109).mp4                      {showId}-{title}
 *   16380 - Title 11092020.mov                      {showId} - {title}
 *
 * with dates as (YYYYMMDD), MMDDYYYY, YYYY-MMDD or M-D-YY. The leading number is only a
 * candidate: Flex numbers are reused and files are copied between stations, so linking
 * confirms it against the show's title and date before trusting it.
 */
export interface RecordingName {
  title: string;
  /** YYYY-MM-DD when the name carries a valid date. */
  date?: string;
  /** The leading number: a show id candidate (a hint), never trusted unconfirmed. */
  showId?: number;
  reel?: number;
}

const RECORD_EVENT = /^(\d{1,9})-\d{1,9}-\d{1,3} - (.+)$/;
const SHOW_REEL_TITLE = /^(\d{1,9})-(\d{1,2})-(.+)$/;
const WATCH_FOLDER = /^(\d{1,9})-(\d{1,2}) (.+)$/;
const SHOW_TITLE = /^(\d{1,9})\s*-\s*(.+)$/;

interface DateMatch {
  iso: string;
  /** Where the date's text is in the searched string, and how long it is. */
  index: number;
  length: number;
}

type DateReader = (text: string) => DateMatch | undefined;

/** Years a station recording can carry; anything else is a number that merely looks like a date. */
const FIRST_YEAR = 1970;
const LAST_YEAR = 2099;

function calendarDate(year: number, month: number, day: number): string | undefined {
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Eight digits: YYYYMMDD or MMDDYYYY. A year's first two digits (19, 20) are never a month, so they cannot be confused. */
function eightDigits(digits: string): string | undefined {
  const n = (from: number, to: number): number => Number(digits.slice(from, to));
  return calendarDate(n(0, 4), n(4, 6), n(6, 8)) ?? calendarDate(n(4, 8), n(0, 2), n(2, 4));
}

function reader(pattern: RegExp, toIso: (groups: string[]) => string | undefined): DateReader {
  return (text) => {
    for (const match of text.matchAll(pattern)) {
      const iso = toIso(match.slice(1));
      if (iso !== undefined) return { iso, index: match.index, length: match[0].length };
    }
    return undefined;
  };
}

const twoDigitYear = (yy: string): number => (yy.length === 2 ? 2000 + Number(yy) : Number(yy));

/** Strongest first: a parenthesised date is meant as one; bare digits might be something else. */
const DATE_READERS: readonly DateReader[] = [
  reader(/\((\d{8})\)/g, ([digits = '']) => eightDigits(digits)),
  reader(/(?<!\d)(\d{4})-(\d{2})-?(\d{2})(?!\d)/g, ([y = '', m = '', d = '']) => calendarDate(Number(y), Number(m), Number(d))),
  reader(/(?<!\d)(\d{8})(?!\d)/g, ([digits = '']) => eightDigits(digits)),
  reader(/(?<![\d-])(\d{1,2})-(\d{1,2})-(\d{4}|\d{2})(?![\d-])/g, ([m = '', d = '', y = '']) =>
    calendarDate(twoDigitYear(y), Number(m), Number(d)),
  ),
];

function findDate(text: string): DateMatch | undefined {
  for (const read of DATE_READERS) {
    const found = read(text);
    if (found !== undefined) return found;
  }
  return undefined;
}

const SEPARATOR = /[\s()_-]/;

/**
 * The title without its date, when the date stands apart from the words (`Council (20220111)`,
 * `Title 11092020`); a date run into a word (`dn2020-0220-hd`) stays, since removing it would
 * leave a fragment that matches no show title.
 */
function titleWithoutDate(text: string, date: DateMatch | undefined): string {
  let title = text;
  if (date !== undefined) {
    const before = text[date.index - 1];
    const after = text[date.index + date.length];
    const standsApart = (before === undefined || SEPARATOR.test(before)) && (after === undefined || SEPARATOR.test(after));
    if (standsApart) title = `${text.slice(0, date.index)} ${text.slice(date.index + date.length)}`;
  }
  // A parenthesised eight-digit stamp is the name's date slot even when it holds no real date.
  return title
    .replace(/\(\d{8}\)/g, ' ')
    .replace(/\(\s*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/^[\s_-]+|[\s_-]+$/g, '');
}

function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return (dot > 0 ? fileName.slice(0, dot) : fileName).trim();
}

/** `2022-01-11 Council`, `3-4-25 Council`: a name that starts with a date has no show id in front. */
function startsWithDate(stem: string): boolean {
  return DATE_READERS.some((read) => read(stem)?.index === 0);
}

interface Parts {
  showId?: number;
  reel?: number;
  rest: string;
}

function splitLeadingNumbers(stem: string): Parts {
  if (startsWithDate(stem)) return { rest: stem };
  const event = RECORD_EVENT.exec(stem);
  if (event?.[1] !== undefined && event[2] !== undefined) return { showId: Number(event[1]), rest: event[2] };
  for (const pattern of [SHOW_REEL_TITLE, WATCH_FOLDER]) {
    const match = pattern.exec(stem);
    if (match?.[1] !== undefined && match[2] !== undefined && match[3] !== undefined) {
      return { showId: Number(match[1]), reel: Number(match[2]), rest: match[3] };
    }
  }
  const plain = SHOW_TITLE.exec(stem);
  if (plain?.[1] !== undefined && plain[2] !== undefined) return { showId: Number(plain[1]), rest: plain[2] };
  return { rest: stem };
}

export function parseRecordingName(fileName: string): RecordingName {
  const stem = stemOf(fileName);
  const parts = splitLeadingNumbers(stem);
  const date = findDate(parts.rest);
  const title = titleWithoutDate(parts.rest, date);
  return {
    title: title === '' ? stem : title,
    ...(date === undefined ? {} : { date: date.iso }),
    ...(parts.showId === undefined ? {} : { showId: parts.showId }),
    ...(parts.reel === undefined ? {} : { reel: parts.reel }),
  };
}
