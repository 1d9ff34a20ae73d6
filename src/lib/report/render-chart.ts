import { escapeHtml } from './escape-html.js';
import type { ReportNight } from './model.js';

const WIDTH = 600;
const HEIGHT = 180;
const TOP = 16;
const BOTTOM = 24;
const LEFT = 34;

function niceMax(value: number): number {
  if (value <= 1) return 1;
  const step = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / step) * step;
}

/**
 * The nights as an inline SVG bar chart: hours captioned as blue bars against the left
 * scale, failures as red bars beside them against the right scale. Each bar has a title
 * (shown on hover, read by screen readers); the SVG scales to the page's width.
 */
export function renderNightsChart(nights: readonly ReportNight[]): string {
  const plotWidth = WIDTH - LEFT * 2;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, nights.length);
  const hoursMax = niceMax(Math.max(0, ...nights.map((n) => n.captionedHours)));
  const failedMax = niceMax(Math.max(0, ...nights.map((n) => n.failed)));
  const y = (value: number, max: number): number => TOP + plotHeight - (value / max) * plotHeight;
  const bar = (kind: string, left: number, top: number, width: number): string =>
    `<rect class="${kind}" x="${left.toFixed(1)}" y="${top.toFixed(1)}" width="${width.toFixed(1)}" height="${(TOP + plotHeight - top).toFixed(1)}"/>`;
  const bars = nights.map((night, i) => {
    const x = LEFT + i * slot;
    const hoursTop = y(night.captionedHours, hoursMax);
    const failedTop = y(night.failed, failedMax);
    const label = `${night.date}: ${night.captionedHours} h captioned (${night.captioned} recordings), ${night.failed} failed, ${night.runs} runs`;
    return (
      `<g><title>${escapeHtml(label)}</title>` +
      bar('hours', x + slot * 0.1, hoursTop, slot * 0.5) +
      (night.failed > 0 ? bar('failed', x + slot * 0.6, failedTop, slot * 0.3) : '') +
      '</g>'
    );
  });
  const first = nights[0]?.date ?? '';
  const last = nights.at(-1)?.date ?? '';
  return [
    `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title" preserveAspectRatio="xMidYMid meet">`,
    `<title id="chart-title">Hours captioned and recordings failed, ${escapeHtml(first)} to ${escapeHtml(last)}</title>`,
    `<line class="axis" x1="${LEFT}" y1="${TOP + plotHeight}" x2="${WIDTH - LEFT}" y2="${TOP + plotHeight}"/>`,
    `<text class="scale hours" x="${LEFT - 4}" y="${TOP + 4}" text-anchor="end">${hoursMax} h</text>`,
    `<text class="scale hours" x="${LEFT - 4}" y="${TOP + plotHeight}" text-anchor="end">0</text>`,
    `<text class="scale failed" x="${WIDTH - LEFT + 4}" y="${TOP + 4}">${failedMax}</text>`,
    `<text class="scale failed" x="${WIDTH - LEFT + 4}" y="${TOP + plotHeight}">0</text>`,
    ...bars,
    `<text class="scale" x="${LEFT}" y="${HEIGHT - 6}">${escapeHtml(first)}</text>`,
    `<text class="scale" x="${WIDTH - LEFT}" y="${HEIGHT - 6}" text-anchor="end">${escapeHtml(last)}</text>`,
    '</svg>',
  ].join('\n');
}
