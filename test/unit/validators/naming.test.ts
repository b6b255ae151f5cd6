// Naming validator: default rules (one code per violation), partner patterns, `_R<n>` redelivery parsing.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compileNamingPattern, defaultNamingConfig, namingValidator, parseRedelivery, type NamingConfig } from '../../../src/delivery/validators/naming.js';
import { bufferObject, contextOf, never, scope } from './objects.js';

async function check(relative: string, config: NamingConfig = defaultNamingConfig) {
  const object = bufferObject(`${scope.rootPrefix}${relative}`, Buffer.from('x'));
  return namingValidator.validate(object, config, contextOf([object]), never());
}

async function codes(relative: string, config?: NamingConfig): Promise<string[]> {
  return (await check(relative, config)).issues.map((i) => i.code).sort();
}

describe('naming: default rules', () => {
  test('conforming names pass, with folders, sidecars and the root prefix excluded from the rules', async () => {
    for (const name of ['Title_Feature.mov', 'season_01/Ep-101_EN.scc', 'Title_Feature.mov.md5', 'Title_Feature.mov.sha256', 'test.txt']) {
      const result = await check(name);
      assert.equal(result.outcome, 'passed', `${name}: ${JSON.stringify(result.issues)}`);
      assert.equal(result.details?.['relativeKey'], name);
    }
  });

  test('spaces', async () => {
    const result = await check('My Title Feature.mov');
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(result.issues.map((i) => i.code), ['NAMING_SPACES']);
    assert.match(result.issues[0]!.cause, /`My Title Feature\.mov` contains 2 space/);
    assert.match(result.issues[0]!.fix, /underscores/);
  });

  test('unicode is reported once as NAMING_NON_ASCII with the code points, not as bad characters', async () => {
    const result = await check('Amélie_Feature.mov');
    assert.deepEqual(result.issues.map((i) => i.code), ['NAMING_NON_ASCII']);
    assert.match(result.issues[0]!.cause, /"é" \(U\+00E9\)/);
    assert.deepEqual(await codes('日本語.mov'), ['NAMING_NON_ASCII']);
    // A non-breaking space is not ASCII whitespace: it is non-ASCII.
    assert.deepEqual(await codes('Title\u00a0Feature.mov'), ['NAMING_NON_ASCII']);
  });

  test('periods: double dots, dots in folders, hidden files, no extension', async () => {
    assert.deepEqual(await codes('Title..mov'), ['NAMING_MULTIPLE_DOTS']);
    assert.deepEqual(await codes('Title.v2.final.mov'), ['NAMING_MULTIPLE_DOTS']);
    const folder = await check('Season.1/Title.mov');
    assert.deepEqual(folder.issues.map((i) => i.code), ['NAMING_MULTIPLE_DOTS']);
    assert.match(folder.issues[0]!.cause, /has 2 periods/);
    assert.deepEqual(await codes('.DS_Store'), ['NAMING_HIDDEN_FILE']);
    assert.deepEqual(await codes('video/.hidden.mov'), ['NAMING_HIDDEN_FILE']);
    assert.deepEqual(await codes('Title_Feature'), ['NAMING_NO_EXTENSION']);
    assert.deepEqual(await codes('Title_Feature.'), ['NAMING_NO_EXTENSION']);
    // A sidecar of a badly named file is judged by that file's name; `.md5` alone is an ordinary extension.
    assert.deepEqual(await codes('Title.v2.mov.md5'), ['NAMING_MULTIPLE_DOTS']);
    assert.deepEqual(await codes('Title_Feature.md5'), []);
    assert.deepEqual(await codes('Title.mov.txt'), ['NAMING_MULTIPLE_DOTS']);
  });

  test('bad characters are listed; several violations give several codes', async () => {
    const result = await check('Title&Co (2024).mov');
    assert.deepEqual(result.issues.map((i) => i.code).sort(), ['NAMING_BAD_CHARACTERS', 'NAMING_SPACES']);
    const bad = result.issues.find((i) => i.code === 'NAMING_BAD_CHARACTERS')!;
    assert.match(bad.cause, /"&" \(U\+0026\), "\(" \(U\+0028\), "\)" \(U\+0029\)/);
    assert.deepEqual(await codes('Ünïcode title.v2.mov'), ['NAMING_MULTIPLE_DOTS', 'NAMING_NON_ASCII', 'NAMING_SPACES']);
    assert.deepEqual(await codes('a\\b.mov'), ['NAMING_BAD_CHARACTERS']);
  });

  test('empty folder names and over-long names', async () => {
    assert.deepEqual(await codes('video//Title.mov'), ['NAMING_EMPTY_SEGMENT']);
    const long = await check(`${'a'.repeat(256)}.mov`);
    assert.deepEqual(long.issues.map((i) => i.code), ['NAMING_TOO_LONG']);
    assert.match(long.issues[0]!.cause, /260 characters; names may be at most 255/);
    assert.equal((await check(`${'a'.repeat(251)}.mov`)).outcome, 'passed');
  });
});

describe('naming: redelivery suffix', () => {
  test('parseRedelivery', () => {
    assert.deepEqual(parseRedelivery('Title_Feature_R2.mov'), { baseName: 'Title_Feature.mov', redelivery: 2 });
    assert.deepEqual(parseRedelivery('Title_Feature_R12.mov'), { baseName: 'Title_Feature.mov', redelivery: 12 });
    assert.deepEqual(parseRedelivery('Title_Feature.mov'), { baseName: 'Title_Feature.mov', redelivery: 0 });
    assert.deepEqual(parseRedelivery('Title_Feature_R0.mov'), { baseName: 'Title_Feature_R0.mov', redelivery: 0 });
    assert.deepEqual(parseRedelivery('Title_FeatureR2.mov'), { baseName: 'Title_FeatureR2.mov', redelivery: 0 });
    assert.deepEqual(parseRedelivery('Title_Feature_r2.mov'), { baseName: 'Title_Feature_r2.mov', redelivery: 0 });
  });

  test('details carry the base name, the base key and the redelivery number', async () => {
    const result = await check('video/Title_Feature_R3.mov');
    assert.equal(result.outcome, 'passed');
    assert.equal(result.details?.['baseName'], 'Title_Feature.mov');
    assert.equal(result.details?.['baseKey'], `${scope.rootPrefix}video/Title_Feature.mov`);
    assert.equal(result.details?.['redelivery'], 3);
  });
});

describe('naming: partner pattern', () => {
  const config: NamingConfig = {
    ...defaultNamingConfig,
    pattern: '[A-Z0-9]+_(FEATURE|TRAILER)_[a-z]{2}-[A-Z]{2}(_R\\d+)?\\.(mov|wav)',
    patternDescription: 'TITLE_FEATURE|TRAILER_lang-CC.mov|wav',
  };

  test('replaces the default rules', async () => {
    assert.equal((await check('MYTITLE_FEATURE_en-US.mov', config)).outcome, 'passed');
    // Periods and the like are the pattern's business now: this one allows no folders.
    const result = await check('video/MYTITLE_FEATURE_en-US.mov', config);
    assert.deepEqual(result.issues.map((i) => i.code), ['NAMING_PATTERN']);
    assert.match(result.issues[0]!.cause, /TITLE_FEATURE\|TRAILER_lang-CC/);
    assert.deepEqual(await codes('mytitle_feature_en-US.mov', config), ['NAMING_PATTERN']);
    const redelivered = await check('MYTITLE_FEATURE_en-US_R1.mov', config);
    assert.equal(redelivered.details?.['redelivery'], 1);
  });

  test('the pattern must match the whole name, and a broken pattern is a readable error', () => {
    assert.equal(compileNamingPattern('[a-z]+\\.mov').test('abc.mov'), true);
    assert.equal(compileNamingPattern('[a-z]+\\.mov').test('x/abc.mov'), false);
    assert.equal(compileNamingPattern('a|b').test('ab'), false);
    assert.throws(() => compileNamingPattern('(unclosed'), /naming pattern "\(unclosed" is not a valid regular expression/);
  });
});
