// Slate's escaping: every interpolation in the html template is escaped unless it is already SafeHtml, so
// data from partners (file names, reasons, ARNs) can never become markup — checked on real page fragments too.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, html, joinHtml, SafeHtml, trustedHtml } from '../../src/portal/html.js';
import { deliveryRow } from '../../src/portal/pages/deliveries-page.js';
import { badge, mediaSummary, principalCell } from '../../src/portal/pages/format.js';
import type { DeliveryJson } from '../../src/portal/pages/api-types.js';
import { findAsset, staticAssets } from '../../src/portal/assets/static-assets.js';
import { slateJs } from '../../src/portal/assets/slate-js.js';

const hostile = `"><script>alert('x')</script><img src=x onerror=alert(1)>\`&`;

describe('html template', () => {
  test('escapes the five HTML specials and the backtick', () => {
    assert.equal(escapeHtml(`<a href="x" title='y'>&\`</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    assert.equal(escapeHtml('plain text 123'), 'plain text 123');
  });

  test('escapes every interpolation, in content and in attributes', () => {
    const out = html`<td title="${hostile}">${hostile}</td>`.value;
    assert.doesNotMatch(out, /<script|<img|onerror=alert\(1\)>/);
    assert.equal(out.match(/"/g)?.length, 2, 'only the template\'s own quotes remain');
    assert.ok(out.includes('&lt;script&gt;'));
  });

  test('keeps nested fragments as they are and escapes their values once', () => {
    const inner = html`<b>${'<i>'}</b>`;
    assert.ok(inner instanceof SafeHtml);
    assert.equal(html`<p>${inner}</p>`.value, '<p><b>&lt;i&gt;</b></p>');
    assert.equal(html`${[html`<li>${'a&b'}</li>`, '<li>']}`.value, '<li>a&amp;b</li>&lt;li&gt;');
  });

  test('renders numbers, and nothing for null, undefined and booleans', () => {
    assert.equal(html`${0}|${12.5}|${null}|${undefined}|${false}|${true}`.value, '0|12.5||||');
  });

  test('only trustedHtml skips escaping', () => {
    assert.equal(html`${trustedHtml('<svg/>')}`.value, '<svg/>');
    assert.equal(html`${'<svg/>'}`.value, '&lt;svg/&gt;');
    assert.equal(joinHtml(['<a>', html`<b>`], ', ').value, '&lt;a&gt;, <b>');
  });
});

describe('page fragments escape what partners send', () => {
  const delivery: DeliveryJson = {
    id: 'dlv-1"><x', partner: hostile, deliveryAccount: hostile, key: `studio/${hostile}.mov`, versionId: hostile, size: 12, etag: 'e',
    status: 'Rejected', deliveredAt: '2025-06-01T10:00:00.000Z', deliveredBy: `arn:aws:sts::111122223333:assumed-role/R/${hostile}`, sessionName: hostile,
    method: 'PutObject', contentType: null, checksums: { CRC32: hostile }, checksumVerified: true, copySource: null,
    rejection: { code: hostile, cause: hostile, fix: hostile }, media: { container: hostile, video: [{ codec: hostile, width: 1, height: 1 }] },
    redelivery: 0, supersedes: null, supersededBy: null, updatedAt: '2025-06-01T10:00:00.000Z',
  };

  test('a delivery row with hostile key, session, code and media has no markup of its own', () => {
    const out = deliveryRow(delivery, true).value;
    assert.doesNotMatch(out, /<script|<img|<x/);
    assert.ok(out.includes('href="/deliveries/dlv-1%22%3E%3Cx"'), 'ids in links are URL-encoded');
    assert.ok(out.includes('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;'));
  });

  test('badges, principals and media summaries escape too', () => {
    assert.doesNotMatch(badge(hostile).value, /<script/);
    assert.doesNotMatch(principalCell(hostile, hostile).value, /<script/);
    assert.match(mediaSummary(delivery.media), /<script>/, 'mediaSummary returns plain text…');
    assert.doesNotMatch(html`${mediaSummary(delivery.media)}`.value, /<script>/, '…which the template escapes');
  });
});

describe('embedded assets', () => {
  test('are served under content-hashed names, and the script compiles', () => {
    assert.match(staticAssets.css.path, /^\/assets\/slate-[0-9a-f]{10}\.css$/);
    assert.equal(findAsset(staticAssets.js.path)?.body.toString('utf8'), slateJs);
    assert.equal(findAsset('/assets/slate.js'), undefined, 'only the hashed name exists');
    assert.doesNotThrow(() => new Function(slateJs), 'slate.js is valid JavaScript');
    assert.throws(() => new Function(slateJs.replace('function announce', 'function (')), SyntaxError, 'the check can fail');
  });
});
