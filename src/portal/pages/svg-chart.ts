// Server-drawn inline SVG charts (no script, no library): deliveries per day as bars with bytes per day as a
// line on a second axis, and small horizontal bars. Every number also appears as text for screen readers.
import { html, type SafeHtml } from '../html.js';
import { formatBytes, formatCount } from './format.js';

export interface DayPoint {
  day: string;
  deliveries: number;
  bytes: number;
}

/** Every day from `firstDay` to `lastDay` (YYYY-MM-DD, UTC), with zeros where nothing was delivered. */
export function fillDays(points: DayPoint[], firstDay: string, lastDay: string): DayPoint[] {
  const byDay = new Map(points.map((p) => [p.day, p]));
  const out: DayPoint[] = [];
  for (let ms = Date.parse(`${firstDay}T00:00:00Z`); ms <= Date.parse(`${lastDay}T00:00:00Z`); ms += 86_400_000) {
    const day = new Date(ms).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, deliveries: 0, bytes: 0 });
  }
  return out;
}

/** An axis maximum at or above `value` that splits into four round steps (4 × 1, 2, 2.5 or 5 × 10ⁿ). */
export function niceMax(value: number, integer = false): number {
  if (value <= 0) return integer ? 4 : 1;
  const step = value / 4;
  const power = 10 ** Math.floor(Math.log10(step));
  for (const m of [1, 2, 2.5, 5, 10]) {
    const candidate = m * power;
    if (candidate >= step && (!integer || Number.isInteger(candidate))) return candidate * 4;
  }
  return 40 * power;
}

/** The same for bytes, in binary units, so the axis reads 0, 1, 2, 3, 4 MiB rather than 48.8 KiB. */
export function niceBytesMax(bytes: number): number {
  if (bytes <= 0) return 4096;
  const unit = 1024 ** Math.max(0, Math.floor(Math.log(bytes) / Math.log(1024)));
  return niceMax(bytes / unit) * unit;
}

export function dailyChart(points: DayPoint[], titleId: string): SafeHtml {
  const width = 960;
  const height = 280;
  const left = 48;
  const right = 72;
  const top = 16;
  const bottom = 36;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const maxCount = niceMax(Math.max(0, ...points.map((p) => p.deliveries)), true);
  const maxBytes = niceBytesMax(Math.max(0, ...points.map((p) => p.bytes)));
  const slot = plotW / Math.max(points.length, 1);
  const barW = Math.max(2, slot * 0.64);
  const y = (v: number, max: number) => top + plotH - (v / max) * plotH;
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const grid = ticks.map((t) => html`<line class="grid" x1="${left}" x2="${width - right}" y1="${y(t * maxCount, maxCount).toFixed(1)}" y2="${y(t * maxCount, maxCount).toFixed(1)}"/>
    <text x="${left - 8}" y="${(y(t * maxCount, maxCount) + 4).toFixed(1)}" text-anchor="end">${formatCount(Math.round(t * maxCount * 100) / 100)}</text>
    <text x="${width - right + 8}" y="${(y(t * maxBytes, maxBytes) + 4).toFixed(1)}">${formatBytes(t * maxBytes)}</text>`);
  const labelEvery = Math.max(1, Math.ceil(points.length / 10));
  const bars = points.map((p, i) => {
    const x = left + i * slot + (slot - barW) / 2;
    const yTop = y(p.deliveries, maxCount);
    return html`<rect class="bar" x="${x.toFixed(1)}" y="${yTop.toFixed(1)}" width="${barW.toFixed(1)}" height="${(top + plotH - yTop).toFixed(1)}" rx="2"><title>${p.day}: ${formatCount(p.deliveries)} deliveries, ${formatBytes(p.bytes)}</title></rect>
      ${i % labelEvery === 0 ? html`<text x="${(left + i * slot + slot / 2).toFixed(1)}" y="${height - bottom + 18}" text-anchor="middle">${p.day.slice(5)}</text>` : ''}`;
  });
  const linePoints = points.map((p, i) => `${(left + i * slot + slot / 2).toFixed(1)},${y(p.bytes, maxBytes).toFixed(1)}`).join(' ');
  const dots = points.map((p, i) => html`<circle class="point" cx="${(left + i * slot + slot / 2).toFixed(1)}" cy="${y(p.bytes, maxBytes).toFixed(1)}" r="2.5"/>`);
  return html`<svg class="chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${titleId}">
    ${grid}
    <line class="axis" x1="${left}" x2="${width - right}" y1="${top + plotH}" y2="${top + plotH}"/>
    ${bars}
    <polyline class="line" points="${linePoints}"/>${dots}
  </svg>`;
}

/** A horizontal bar for a share of a maximum (tables of counts). */
export function shareBar(value: number, max: number, label: string): SafeHtml {
  const width = 160;
  const filled = max > 0 ? Math.max(2, (value / max) * width) : 0;
  return html`<svg width="${width}" height="12" viewBox="0 0 ${width} 12" role="img" aria-label="${label}"><rect class="hbar-track" width="${width}" height="12" rx="3"/><rect class="hbar" width="${filled.toFixed(1)}" height="12" rx="3"/></svg>`;
}
