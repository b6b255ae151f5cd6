// The sign-in page (with its pre-login CSRF token) and the error page shown outside or inside a session.
import { html, trustedHtml, type SafeHtml } from '../html.js';
import { brandMarkSvg } from '../assets/brand-mark.js';
import { bareLayout } from './layout.js';
import { notice } from './format.js';

export function loginPage(options: { csrfToken: string; userName?: string; error?: string; next?: string }): SafeHtml {
  return bareLayout('Sign in', html`<main class="login-wrap">
  <div class="login-card">
    <div class="brand">${trustedHtml(brandMarkSvg)}<span>Slate <small>S3 Push Delivery</small></span></div>
    <p class="muted">Sign in to follow your deliveries.</p>
    ${options.error ? notice('bad', options.error) : ''}
    <form method="post" action="/login">
      <input type="hidden" name="_csrf" value="${options.csrfToken}">
      ${options.next ? html`<input type="hidden" name="next" value="${options.next}">` : ''}
      <div class="field"><label for="user">User name</label><input id="user" name="user" type="text" autocomplete="username" required value="${options.userName ?? ''}" autofocus></div>
      <div class="field"><label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required></div>
      <button class="button primary" type="submit">Sign in</button>
    </form>
    <p class="foot">First start? The operator's login is in <code>&lt;data&gt;/portal-login</code>, written by <code>s3push serve</code>.</p>
  </div>
</main>`);
}

export function errorPage(status: number, title: string, message: string): SafeHtml {
  return bareLayout(title, html`<main class="login-wrap"><div class="login-card" role="alert">
    <div class="brand">${trustedHtml(brandMarkSvg)}<span>Slate</span></div>
    <h1>${title}</h1>
    <p>${message}</p>
    <p class="muted small">HTTP ${status}</p>
    <p><a class="button" href="/">Back to Slate</a></p>
  </div></main>`);
}
