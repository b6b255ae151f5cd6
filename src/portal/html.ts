// HTML that is escaped by construction: the `html` tagged template escapes every interpolated value
// unless it is already SafeHtml (another `html` result, or text explicitly marked with `trustedHtml`).
import assert from 'node:assert';

/** A fragment of HTML known to be safe to insert as is. */
export class SafeHtml {
  constructor(readonly value: string) {}

  toString(): string {
    return this.value;
  }
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/** Escapes text for element content and (double- or single-quoted) attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => entities[c]!);
}

function render(value: HtmlValue): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false || value === true) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return String(value);
  assert(typeof value === 'string', 'html: unsupported interpolation');
  return escapeHtml(value);
}

/** `html\`<td>${name}</td>\`` — every interpolation is escaped; nested html fragments are kept. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/**
 * Marks text as HTML without escaping. Only for markup the portal itself produced (assets, SVG it
 * drew from numbers); never for anything that came from a request or the database.
 */
export function trustedHtml(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** Joins fragments with a separator (escaped like any other value). */
export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  return new SafeHtml(parts.map(render).join(render(separator)));
}
