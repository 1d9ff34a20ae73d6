/**
 * Splits a byte stream into lines on "\n" and on "\r": tqdm redraws its bar with "\r", so
 * without the second rule a whole run of progress would arrive as one line at the end.
 */
export class LineSplitter {
  private pending = '';
  private shownPending = '';
  push(chunk: string): string[] {
    const parts = (this.pending + chunk).split(/\r\n|\r|\n/);
    this.pending = parts.pop() ?? '';
    return parts.filter((line) => line.length > 0);
  }
  /**
   * tqdm writes "\r" before each redraw, not after, so its latest state stays unterminated
   * until the next redraw, which a hung engine never writes. This returns that unfinished
   * text, once, when it already reads as progress.
   */
  pendingProgress(): string | undefined {
    if (this.pending === this.shownPending || !isProgressLine(this.pending)) return undefined;
    this.shownPending = this.pending;
    return this.pending;
  }
  flush(): string[] {
    const rest = this.pending;
    this.pending = '';
    return rest.length > 0 ? [rest] : [];
  }
}

const whisperCppProgress = /progress\s*=\s*(\d{1,3})%/;
const tqdmProgress = /^\s*(\d{1,3})%\|/;
const whisperCppFileStart = /: processing '(.+)' \(\d+ samples/;

/** The percentage a progress line reports (whisper.cpp's callback or a tqdm bar), else undefined. */
export function progressPercent(line: string): number | undefined {
  const match = whisperCppProgress.exec(line) ?? tqdmProgress.exec(line);
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return value >= 0 && value <= 100 ? value : undefined;
}

export function isProgressLine(line: string): boolean {
  return progressPercent(line) !== undefined;
}

/**
 * Turns the engine's per-file progress lines into one fraction for the whole batch, weighting
 * each file by its duration. A file starts when whisper.cpp names it, or when a percentage
 * drops (the next file's bar starting over). The fraction never goes backwards.
 */
export class BatchProgress {
  private readonly totalSec: number;
  private index = 0;
  private lastPercent = 0;
  private reported = 0;

  constructor(private readonly files: readonly { path: string; durationSec: number }[]) {
    this.totalSec = files.reduce((sum, file) => sum + Math.max(0, file.durationSec), 0);
  }

  /** Returns the new overall fraction when the line moved it forward. */
  feed(line: string): number | undefined {
    const started = whisperCppFileStart.exec(line)?.[1];
    if (started !== undefined) {
      const found = this.files.findIndex((file) => file.path === started);
      if (found >= 0) {
        this.index = found;
        this.lastPercent = 0;
      }
      return this.advance();
    }
    const percent = progressPercent(line);
    if (percent === undefined) return undefined;
    if (percent < this.lastPercent) this.index = Math.min(this.index + 1, this.files.length - 1);
    this.lastPercent = percent;
    return this.advance();
  }

  private advance(): number | undefined {
    const fraction = this.fraction();
    if (fraction <= this.reported) return undefined;
    this.reported = fraction;
    return fraction;
  }

  private fraction(): number {
    if (this.files.length === 0) return 0;
    if (this.totalSec <= 0) return (this.index + this.lastPercent / 100) / this.files.length;
    const done = this.files.slice(0, this.index).reduce((sum, file) => sum + Math.max(0, file.durationSec), 0);
    const current = Math.max(0, this.files[this.index]?.durationSec ?? 0) * (this.lastPercent / 100);
    return Math.min(1, (done + current) / this.totalSec);
  }
}
