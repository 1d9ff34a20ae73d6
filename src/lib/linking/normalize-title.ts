/**
 * Title normalisation for matching recordings to shows. Station titles vary in wording
 * ("Birchwood City Council" on the file, "Birchwood Council Meeting 1/11/22" on the show), so
 * dates, punctuation and words that name no particular body are dropped before comparing.
 */

const MONTH =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';

/** Dates written into titles: they say when, not what, and the date is compared separately. */
const DATE_PATTERNS: readonly RegExp[] = [
  /\b(?:19|20)\d{2}[01]\d[0-3]\d\b/g,
  /\b\d{4}-\d{1,2}-\d{1,2}\b/g,
  /\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/g,
  new RegExp(`\\b(?:${MONTH})\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?(?:,?\\s+\\d{4})?\\b`, 'gi'),
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:${MONTH})\\.?(?:,?\\s+\\d{4})?\\b`, 'gi'),
  /\b(?:19|20)\d{2}\b/g,
];

/**
 * Words that do not tell one show from another: "City Council" and "Council Meeting" are the
 * same body. Words that do ("special", "workshop", "planning") are kept.
 */
const GENERIC = new Set([
  'a',
  'an',
  'and',
  'at',
  'for',
  'in',
  'of',
  'on',
  'the',
  'to',
  'city',
  'meeting',
  'meetings',
  'mtg',
  'regular',
  'session',
  'live',
  'replay',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
]);

const ABBREVIATIONS: Readonly<Record<string, string>> = {
  comm: 'commission',
  cmte: 'committee',
  cttee: 'committee',
  twp: 'township',
  wkshp: 'workshop',
  wksp: 'workshop',
  dept: 'department',
  hwy: 'highway',
  ctr: 'center',
};

export function stripTitleDates(title: string): string {
  return DATE_PATTERNS.reduce((text, pattern) => text.replace(pattern, ' '), title);
}

/** Lower-case word tokens of a title, without dates, punctuation or generic words. */
export function titleTokens(title: string): string[] {
  const words = stripTitleDates(title.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => ABBREVIATIONS[word] ?? word);
  const specific = words.filter((word) => !GENERIC.has(word));
  // A title made only of generic words ("City Meeting") is still better compared by those.
  return [...new Set(specific.length > 0 ? specific : words)];
}
