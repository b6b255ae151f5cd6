// Formatting shared by the pages: sizes, times, status badges, principals, media summaries, notices.
import { html, type SafeHtml } from '../html.js';

const statusIcons: Record<string, string> = {
  Received: '↧', Validating: '⋯', Accepted: '✓', Ingested: '✓', Rejected: '✕', Superseded: '↻',
  Pending: '…', Approved: '✓', Active: '✓', Revoked: '✕', Verified: '✓',
  passed: '✓', failed: '✕', error: '!', skipped: '–',
};

/** A status as colour AND text (never colour alone). */
export function badge(status: string, kind = status.toLowerCase()): SafeHtml {
  return html`<span class="badge ${kind}"><span class="dot" aria-hidden="true">${statusIcons[status] ?? '•'}</span>${status}</span>`;
}

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `2025-06-01 14:03:22 UTC` — one unambiguous zone for studios around the world. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 19)} UTC`;
}

export function timeCell(iso: string | null | undefined): SafeHtml {
  return iso ? html`<time datetime="${iso}">${formatTime(iso)}</time>` : html`—`;
}

/** Date above, time below: narrow enough for a table column. */
export function timeStackCell(iso: string | null | undefined): SafeHtml {
  if (!iso) return html`—`;
  const text = formatTime(iso);
  return html`<time datetime="${iso}">${text.slice(0, 10)}<span class="sub">${text.slice(11)}</span></time>`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** `arn:aws:sts::123:assumed-role/Delivery/session` → role and session, with the whole ARN as a tooltip. */
export function principalCell(arn: string, sessionName: string | null | undefined): SafeHtml {
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) return html`<span title="${arn}">${assumed[1]}<span class="sub nowrap">session ${sessionName ?? assumed[2]}</span></span>`;
  const account = /^arn:aws:(?:iam|sts)::(\d{12}):(.+)$/.exec(arn);
  if (account) return html`<span title="${arn}">${account[2]}<span class="sub">account ${account[1]}</span></span>`;
  return html`<span title="${arn}">${arn}</span>`;
}

interface MediaLike {
  container?: string;
  durationSeconds?: number;
  video?: { codec?: string; width?: number; height?: number; frameRate?: number }[];
  audio?: { codec?: string; channels?: number }[];
  images?: { codec?: string; width?: number; height?: number }[];
}

/** The same as plain words, for sentences: `role Delivery (session ana-laptop)`. */
export function principalText(arn: string, sessionName: string | null | undefined): string {
  const assumed = /:assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  if (assumed) return `role ${assumed[1]} (session ${sessionName ?? assumed[2]})`;
  return arn;
}

/** One line: `MPEG-4 · AVC 1920×1080 23.976 fps · 2 ch AAC · 1:32:10`. */
export function mediaSummary(media: unknown): string {
  if (!media || typeof media !== 'object') return '';
  const m = media as MediaLike;
  const parts: string[] = [];
  if (m.container) parts.push(m.container);
  const video = m.video?.[0];
  if (video) parts.push([video.codec, video.width && video.height ? `${video.width}×${video.height}` : '', video.frameRate ? `${Number(video.frameRate.toFixed(3))} fps` : ''].filter(Boolean).join(' '));
  const audio = m.audio?.[0];
  if (audio) parts.push([audio.channels ? `${audio.channels} ch` : '', audio.codec].filter(Boolean).join(' '));
  const image = m.images?.[0];
  if (!video && image) parts.push([image.codec === m.container ? '' : image.codec, image.width && image.height ? `${image.width}×${image.height}` : ''].filter(Boolean).join(' '));
  if (m.durationSeconds) parts.push(formatClock(m.durationSeconds));
  return parts.filter(Boolean).join(' · ');
}

function formatClock(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${rest}` : `${m}:${rest}`;
}

export function notice(kind: 'ok' | 'bad' | 'info' | 'warn', content: SafeHtml | string): SafeHtml {
  return html`<div class="notice ${kind}" role="${kind === 'bad' ? 'alert' : 'status'}">${content}</div>`;
}

/** A value with a copy button; `id` must be unique in the page. */
export function copyable(id: string, value: string, label: string): SafeHtml {
  return html`<span class="copy-row"><code id="${id}">${value}</code><button type="button" class="button small" data-copy="${id}" aria-label="Copy ${label}">Copy</button></span>`;
}

export function codeBlock(id: string, title: string, code: string): SafeHtml {
  return html`<div class="code-block"><div class="code-head"><h3 id="${id}-title">${title}</h3><button type="button" class="button small" data-copy="${id}" aria-label="Copy ${title}">Copy</button></div><pre class="code" aria-labelledby="${id}-title"><code id="${id}">${code}</code></pre></div>`;
}

/** The hidden CSRF field every state-changing form carries. */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}
