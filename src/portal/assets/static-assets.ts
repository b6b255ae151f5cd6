// The portal's static files, embedded in the build and served with content-hashed names (cached for a year).
import { createHash } from 'node:crypto';
import { brandMarkSvg } from './brand-mark.js';
import { slateCss } from './slate-css.js';
import { slateJs } from './slate-js.js';

export interface StaticAsset {
  path: string;
  contentType: string;
  body: Buffer;
}

function asset(name: string, extension: string, contentType: string, text: string): StaticAsset {
  const body = Buffer.from(text, 'utf8');
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 10);
  return { path: `/assets/${name}-${hash}.${extension}`, contentType, body };
}

export const staticAssets = {
  css: asset('slate', 'css', 'text/css; charset=utf-8', slateCss),
  js: asset('slate', 'js', 'text/javascript; charset=utf-8', slateJs),
  icon: asset('slate-icon', 'svg', 'image/svg+xml', brandMarkSvg.replace(' class="brand-mark" aria-hidden="true" focusable="false"', '')),
} as const;

export function findAsset(path: string): StaticAsset | undefined {
  return Object.values(staticAssets).find((a) => a.path === path);
}
