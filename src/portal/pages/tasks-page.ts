// Tasks: transfer tasks and their executions. The transfer engine is not built yet, so this page says so
// plainly (no placeholder data) and points to what works today.
import { html, type SafeHtml } from '../html.js';
import { layout, pageHead } from './layout.js';
import type { PageContext } from './page-context.js';

export function tasksPage(ctx: PageContext): SafeHtml {
  const content = html`${pageHead('Tasks', 'Transfer tasks copy whole folders from a source bucket into your prefix, with progress, verification and resumable executions.')}
  <div class="card empty" role="status">
    <h2>No transfer tasks yet</h2>
    <p>Transfer tasks arrive with the bulk delivery tool (<code>s3push deliver</code> and <code>s3push task create|start</code>).
    When they do, each task and its executions — files and bytes copied, verified, skipped or failed — show here with their progress.</p>
    <p class="muted">Until then, deliver with any S3 tool through your access point${ctx.actor.kind === 'partner' ? html` (see <a href="/access">Access</a> for ready commands)` : ''}; every file appears in <a href="/deliveries">Deliveries</a>.</p>
  </div>`;
  return layout(ctx, { title: 'Tasks', active: 'tasks', content });
}
