// The page frame: top bar with the navigation for the user's role, the signed-in user and sign-out, the live
// status, and the bare frame for the login and error pages.
import { html, trustedHtml, type SafeHtml } from '../html.js';
import { staticAssets } from '../assets/static-assets.js';
import { brandMarkSvg } from '../assets/brand-mark.js';
import { csrfField } from './format.js';
import type { PageContext } from './page-context.js';

export type NavKey = 'dashboard' | 'deliveries' | 'access' | 'partners' | 'onboarding' | 'tasks' | 'account';

export interface LayoutOptions {
  title: string;
  active: NavKey | undefined;
  content: SafeHtml;
  /** Opens the live events feed (pages with data-live-src regions). */
  live?: boolean;
}

function head(title: string): SafeHtml {
  return html`<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Slate</title>
<link rel="icon" href="${staticAssets.icon.path}" type="image/svg+xml">
<link rel="stylesheet" href="${staticAssets.css.path}">
<script src="${staticAssets.js.path}" defer></script>`;
}

function navLink(key: NavKey, href: string, label: string, active: NavKey | undefined, extra?: SafeHtml): SafeHtml {
  return html`<a href="${href}"${active === key ? trustedHtml(' aria-current="page"') : ''}>${label}${extra ?? ''}</a>`;
}

export function layout(ctx: PageContext, options: LayoutOptions): SafeHtml {
  const { actor, auth } = ctx;
  const operator = actor.kind === 'operator';
  const nav = operator
    ? [
      navLink('dashboard', '/dashboard', 'Dashboard', options.active),
      navLink('deliveries', '/deliveries', 'Deliveries', options.active),
      navLink('partners', '/partners', 'Partners', options.active),
      navLink('onboarding', '/onboarding', 'Onboarding', options.active,
        ctx.pendingOnboarding ? html` <span class="count" title="${ctx.pendingOnboarding} pending">${ctx.pendingOnboarding}<span class="sr-only"> pending</span></span>` : undefined),
      navLink('tasks', '/tasks', 'Tasks', options.active),
    ]
    : [
      navLink('deliveries', '/deliveries', 'Deliveries', options.active),
      navLink('access', '/access', 'Access', options.active),
      navLink('tasks', '/tasks', 'Tasks', options.active),
    ];
  const live = options.live
    ? html`<span id="live-status" class="badge offline" title="Connecting to the live feed" role="status"><span class="dot" aria-hidden="true">●</span><span>Connecting…</span></span>`
    : '';
  return html`<!doctype html>
<html lang="en">
<head>${head(options.title)}</head>
<body${options.live ? trustedHtml(' data-live') : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="topbar"><div class="topbar-inner">
  <a class="brand" href="/">${trustedHtml(brandMarkSvg)}<span>Slate <small>${operator ? 'Operator console' : ctx.partnerName ?? 'Partner portal'}</small></span></a>
  <nav class="nav" aria-label="Main">${nav}</nav>
  <div class="who">${live}
    <a href="/account" title="Your account"${options.active === 'account' ? trustedHtml(' aria-current="page"') : ''}><strong>${auth.user.name}</strong></a>
    <span class="role">${operator ? 'operator' : 'partner'}</span>
    <form method="post" action="/logout">${csrfField(ctx.csrfToken)}<button class="link-button" type="submit">Sign out</button></form>
  </div>
</div></header>
<main id="main" tabindex="-1">
${options.content}
</main>
<div id="announcer" class="sr-only" aria-live="polite"></div>
</body>
</html>`;
}

/** Login and error pages outside a session. */
export function bareLayout(title: string, content: SafeHtml): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>${head(title)}</head>
<body>
${content}
</body>
</html>`;
}

export function pageHead(title: string, subtitle?: SafeHtml | string, actions?: SafeHtml): SafeHtml {
  return html`<div class="page-head"><div><h1>${title}</h1>${subtitle ? html`<p>${subtitle}</p>` : ''}</div>${actions ? html`<div class="actions">${actions}</div>` : ''}</div>`;
}
