// The signed-in user's account: who they are, and a password change (which ends their other sessions).
import { html, type SafeHtml } from '../html.js';
import { csrfField, formatTime, notice } from './format.js';
import { layout, pageHead } from './layout.js';
import type { PageContext } from './page-context.js';
import { limits } from '../../core/limits.js';

export function accountPage(ctx: PageContext, message?: { kind: 'ok' | 'bad'; text: string }): SafeHtml {
  const { user, session } = ctx.auth;
  const content = html`${pageHead('Your account')}
  ${message ? notice(message.kind, message.text) : ''}
  <div class="grid-2">
    <section class="card"><h2>Signed in</h2><dl class="kv">
      <dt>User</dt><dd>${user.name}</dd>
      <dt>Role</dt><dd>${user.role === 'operator' ? 'Platform operator' : `Partner user of ${ctx.partnerName ?? 'your partner'}`}</dd>
      <dt>Session started</dt><dd>${formatTime(new Date(session.createdMs).toISOString())}</dd>
      <dt>Session ends</dt><dd>${formatTime(new Date(session.expiresMs).toISOString())} at the latest</dd>
    </dl></section>
    <section class="card"><h2>Change password</h2>
      <form method="post" action="/account/password">${csrfField(ctx.csrfToken)}
        <input type="text" name="user" autocomplete="username" value="${user.name}" hidden>
        <div class="field"><label for="current">Current password</label><input id="current" name="current" type="password" autocomplete="current-password" required></div>
        <div class="field"><label for="next">New password (at least ${limits.portalPasswordLengthMin} characters)</label><input id="next" name="next" type="password" autocomplete="new-password" minlength="${limits.portalPasswordLengthMin}" required></div>
        <div class="field"><label for="confirm">New password again</label><input id="confirm" name="confirm" type="password" autocomplete="new-password" required></div>
        <button class="button primary" type="submit">Change password</button>
      </form>
    </section>
  </div>`;
  return layout(ctx, { title: 'Your account', active: 'account', content });
}
