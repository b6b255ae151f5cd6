// XML in and out: escaping and the response builders; the request-body parser's refusals (malformed, DTDs,
// wrong root) and its accessors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { S3Error } from '../../src/core/errors.js';
import {
  childOf, childrenOf, el, escapeXml, parseXml, S3_NAMESPACE, textOf, wrap, xmlDocument,
} from '../../src/protocol/xml.js';

function malformed(body: string, root = 'Tagging'): void {
  assert.throws(() => parseXml(body, root), (error: unknown) => {
    assert.ok(error instanceof S3Error);
    assert.equal(error.code, 'MalformedXML');
    assert.equal(error.status, 400);
    return true;
  }, body);
}

describe('building responses', () => {
  test('escapeXml escapes the five XML specials and CR, nothing else', () => {
    assert.equal(escapeXml(`a&b<c>d"e'f\rg`), 'a&amp;b&lt;c&gt;d&quot;e&apos;f&#13;g');
    assert.equal(escapeXml('plain/ké y+%\t\n😀'), 'plain/ké y+%\t\n😀');
    assert.equal(escapeXml('&amp;'), '&amp;amp;');
  });

  test('el escapes values, prints numbers and booleans, and omits undefined and null', () => {
    assert.equal(el('Key', 'a<b'), '<Key>a&lt;b</Key>');
    assert.equal(el('Size', 0), '<Size>0</Size>');
    assert.equal(el('IsTruncated', false), '<IsTruncated>false</IsTruncated>');
    assert.equal(el('Prefix', ''), '<Prefix></Prefix>');
    assert.equal(el('NextMarker', undefined), '');
    assert.equal(el('NextMarker', null), '');
  });

  test('wrap does not escape; xmlDocument adds the declaration and the S3 namespace', () => {
    assert.equal(wrap('Tag', '<Key>k</Key>'), '<Tag><Key>k</Key></Tag>');
    assert.equal(xmlDocument('Tagging', '<TagSet></TagSet>'), `<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="${S3_NAMESPACE}"><TagSet></TagSet></Tagging>`);
    assert.equal(xmlDocument('R', '', ''), '<?xml version="1.0" encoding="UTF-8"?>\n<R></R>');
  });

  test('what el writes, parseXml reads back unchanged', () => {
    const nasty = `a&b<c>"'\r\n\t 😀 é &amp;`;
    const doc = xmlDocument('Tagging', wrap('TagSet', wrap('Tag', el('Key', nasty) + el('Value', ''))));
    const tags = childrenOf(childOf(parseXml(doc, 'Tagging'), 'TagSet'), 'Tag');
    assert.equal(tags.length, 1);
    assert.equal(textOf(tags[0], 'Key'), nasty);
    assert.equal(textOf(tags[0], 'Value'), '');
  });
});

describe('parseXml', () => {
  test('returns the root element\'s children, with or without a namespace or declaration', () => {
    const plain = parseXml('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>', 'VersioningConfiguration');
    assert.equal(textOf(plain, 'Status'), 'Enabled');
    const namespaced = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n<VersioningConfiguration xmlns="${S3_NAMESPACE}"><Status>Suspended</Status></VersioningConfiguration>`, 'VersioningConfiguration');
    assert.equal(textOf(namespaced, 'Status'), 'Suspended');
    const prefixed = parseXml('<s3:Tagging xmlns:s3="http://s3.amazonaws.com/doc/2006-03-01/"><s3:TagSet/></s3:Tagging>', 'Tagging');
    assert.deepEqual(childrenOf(childOf(prefixed, 'TagSet'), 'Tag'), []);
  });

  test('an empty root is an empty node', () => {
    assert.deepEqual(parseXml('<VersioningConfiguration/>', 'VersioningConfiguration'), {});
    assert.deepEqual(parseXml('<VersioningConfiguration></VersioningConfiguration>', 'VersioningConfiguration'), {});
    assert.equal(textOf(parseXml('<VersioningConfiguration/>', 'VersioningConfiguration'), 'Status'), undefined);
  });

  test('text stays text: no number parsing, whitespace kept, entities and character references decoded once', () => {
    const node = parseXml('<Tagging><TagSet><Tag><Key>007</Key><Value> a &amp; &lt;b&gt; &quot;&apos; &#65;&#x42;&#x1F600; &amp;#65; </Value></Tag></TagSet></Tagging>', 'Tagging');
    const tag = childrenOf(childOf(node, 'TagSet'), 'Tag')[0];
    assert.equal(textOf(tag, 'Key'), '007');
    assert.equal(textOf(tag, 'Value'), ` a & <b> "' AB😀 &#65; `);
  });

  test('keys with CR and LF as the AWS SDK for JavaScript writes them (&#x0D; &#x0A;) decode to the real characters', () => {
    const node = parseXml('<Delete><Object><Key>line1&#x0D;&#x0A;line2&#13;&#10;</Key></Object></Delete>', 'Delete');
    assert.equal(textOf(childrenOf(node, 'Object')[0], 'Key'), 'line1\r\nline2\r\n');
  });

  test('unknown entities, bare ampersands and references to non-characters are MalformedXML', () => {
    malformed('<Tagging>&nbsp;</Tagging>');
    malformed('<Tagging>&undefined;</Tagging>');
    malformed('<Tagging><TagSet><Tag><Key>a & b</Key><Value/></Tag></TagSet></Tagging>');
    malformed('<Tagging>&#0;</Tagging>');
    malformed('<Tagging>&#xD800;</Tagging>');
    malformed('<Tagging>&#x110000;</Tagging>');
    malformed('<Tagging>&#x;</Tagging>');
  });

  test('repeatable elements are lists even when they occur once', () => {
    const one = parseXml('<Delete><Object><Key>a</Key></Object></Delete>', 'Delete');
    assert.deepEqual(childrenOf(one, 'Object').map((o) => textOf(o, 'Key')), ['a']);
    const two = parseXml('<Delete><Object><Key>a</Key></Object><Object><Key>b</Key><VersionId>v</VersionId></Object></Delete>', 'Delete');
    assert.deepEqual(childrenOf(two, 'Object').map((o) => [textOf(o, 'Key'), textOf(o, 'VersionId')]), [['a', undefined], ['b', 'v']]);
    const grants = parseXml('<AccessControlPolicy><AccessControlList><Grant><Permission>READ</Permission></Grant></AccessControlList></AccessControlPolicy>', 'AccessControlPolicy');
    assert.equal(childrenOf(childOf(grants, 'AccessControlList'), 'Grant').length, 1);
  });

  test('DOCTYPE and ENTITY declarations are refused (no entity expansion, no external entities)', () => {
    malformed('<!DOCTYPE Tagging [<!ENTITY x "y">]><Tagging><TagSet/></Tagging>');
    malformed('<?xml version="1.0"?><!DOCTYPE Tagging SYSTEM "file:///etc/passwd"><Tagging><TagSet/></Tagging>');
    malformed('<!doctype Tagging><Tagging/>');
    malformed('<Tagging><!ENTITY a "b"><TagSet/></Tagging>');
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><Tagging><TagSet><Tag><Key>&lol2;</Key><Value>v</Value></Tag></TagSet></Tagging>';
    malformed(lol);
  });

  test('malformed documents are MalformedXML', () => {
    malformed('');
    malformed('not xml');
    malformed('<Tagging><TagSet></Tagging>');
    malformed('<Tagging><TagSet/></Tagging><Tagging/>');
    malformed('<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet>');
    malformed('<Tagging attr=unquoted/>');
  });

  test('a different root element is MalformedXML', () => {
    malformed('<Tags><TagSet/></Tags>');
    malformed('<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>');
  });

  test('a root that repeats is MalformedXML', () => {
    malformed('<Wrapper><Tagging/><Tagging/></Wrapper>', 'Tagging');
  });
});

describe('accessors', () => {
  const node = parseXml('<R><A>text</A><B><C>c</C></B><E/><D>1</D><D>2</D></R>', 'R');

  test('textOf: text, undefined when absent, "" for an element with children, MalformedXML when repeated', () => {
    assert.equal(textOf(node, 'A'), 'text');
    assert.equal(textOf(node, 'Missing'), undefined);
    assert.equal(textOf(node, 'E'), '');
    assert.equal(textOf(node, 'B'), '');
    assert.equal(textOf(undefined, 'A'), undefined);
    assert.throws(() => textOf(node, 'D'), { code: 'MalformedXML' });
  });

  test('childOf: the child node, {} for an empty element, undefined for text or absence, MalformedXML when repeated', () => {
    assert.equal(textOf(childOf(node, 'B'), 'C'), 'c');
    assert.deepEqual(childOf(node, 'E'), {});
    assert.equal(childOf(node, 'A'), undefined);
    assert.equal(childOf(node, 'Missing'), undefined);
    assert.throws(() => childOf(node, 'D'), { code: 'MalformedXML' });
  });

  test('childrenOf: every occurrence, text items wrapped, [] when absent', () => {
    assert.deepEqual(childrenOf(node, 'D'), [{ '#text': '1' }, { '#text': '2' }]);
    assert.deepEqual(childrenOf(node, 'B').map((b) => textOf(b, 'C')), ['c']);
    assert.deepEqual(childrenOf(node, 'Missing'), []);
    assert.deepEqual(childrenOf(undefined, 'D'), []);
  });
});
