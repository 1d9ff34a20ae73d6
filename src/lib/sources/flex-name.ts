/**
 * What a Flex content-share file name says about its recording:
 * `17601-1-Birchwood City Council (20220111).mp4` is show 17601, reel 1, recorded 2022-01-11;
 * a record event's `17601-88-1 - Title.mp4` carries the show id too. The show id is only a
 * hint until link-queue confirms it against Cablecast.
 */
export interface RecordingName {
  title: string;
  /** YYYY-MM-DD when the name carries a valid date. */
  date?: string | undefined;
  showId?: number;
  reel?: number;
}

const FLEX = /^(\d{1,9})-(\d{1,4})-(.+?)(?:\s*\((\d{8})\))?$/;
const RECORD_EVENT = /^(\d{1,9})-(\d{1,9})-1 - (.+)$/;
const TRAILING_DATE = /\s*\((\d{8})\)$/;

function isoDate(yyyymmdd: string | undefined): string | undefined {
  if (!yyyymmdd) return undefined;
  const [y, m, d] = [yyyymmdd.slice(0, 4), yyyymmdd.slice(4, 6), yyyymmdd.slice(6, 8)];
  const date = new Date(`${y}-${m}-${d}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== `${y}-${m}-${d}` ? undefined : `${y}-${m}-${d}`;
}

function stemOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

export function parseRecordingName(fileName: string): RecordingName {
  const stem = stemOf(fileName).trim();
  const [, eventShow, , eventTitle] = RECORD_EVENT.exec(stem) ?? [];
  if (eventShow !== undefined && eventTitle !== undefined) {
    const title = eventTitle.replace(TRAILING_DATE, '').trim();
    const date = isoDate(TRAILING_DATE.exec(eventTitle)?.[1]);
    return { title, showId: Number(eventShow), date };
  }
  const [, flexShow, flexReel, flexTitle, flexDate] = FLEX.exec(stem) ?? [];
  if (flexShow !== undefined && flexReel !== undefined && flexTitle !== undefined) {
    const date = isoDate(flexDate);
    return { title: flexTitle.trim(), showId: Number(flexShow), reel: Number(flexReel), date };
  }
  const date = isoDate(TRAILING_DATE.exec(stem)?.[1]);
  return { title: stem.replace(TRAILING_DATE, '').trim(), date };
}
