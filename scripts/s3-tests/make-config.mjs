// Writes an s3tests.conf (ceph/s3-tests) for a running s3push from the keys of three accounts, reading each Owner with ListBuckets.
// Usage: node scripts/s3-tests/make-config.mjs --credentials FILE [--endpoint URL] [--data DIR] [--out FILE]
//
// FILE is an AWS shared-credentials file with profiles `main`, `alt` and `tenant` (the text that
// `s3push account create --name NAME` prints is such a profile; lines that are not `[profile]` or
// `key = value` are ignored). Without a `main` profile the platform root from <data>/credentials is used.
// Each key signs a ListBuckets request (SigV4, written out here so the script needs nothing but node):
// s3-tests compares `user_id`/`display_name` with the Owner ID/DisplayName the server returns for that key.
// `[iam root]`/`[iam alt root]` user_id is the 12-digit account id (what GetCallerIdentity answers for a
// root user); it comes from the profile's `aws_account_id`, else STS GetCallerIdentity, else the admin
// API's account list (needs --data), matched on the Owner DisplayName, which s3push sets to the account name.
// (test_sts compares that user_id with GetCallerIdentity's Account; a few test_iam ACL tests use the alt one as a
// canonical user id instead, which on AWS is the 64-hex Owner ID: those cannot both hold.)
import { createHash, createHmac } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const REGION = 'us-east-1';
const REQUEST_TIMEOUT_MS = 10_000;

const { values: args } = parseArgs({
  options: {
    endpoint: { type: 'string', default: 'http://127.0.0.1:8000' },
    credentials: { type: 'string' },
    data: { type: 'string' },
    out: { type: 'string', default: 's3tests.conf' },
    'bucket-prefix': { type: 'string', default: 's3t-{random}-' },
    // Only test_bucket_get_location reads api_name: it creates a bucket with this LocationConstraint and reads it
    // back, and skips when it is empty. us-east-1 itself is not a valid LocationConstraint (InvalidLocationConstraint).
    'api-name': { type: 'string', default: 'eu-west-1' },
    help: { type: 'boolean', short: 'h' },
  },
});

if (args.help || (!args.credentials && !args.data)) {
  process.stdout.write('usage: node scripts/s3-tests/make-config.mjs --credentials FILE [--data DIR] [--endpoint URL] [--out FILE] [--bucket-prefix TEMPLATE] [--api-name REGION]\n'
    + '  FILE: AWS shared-credentials with profiles main, alt, tenant (main falls back to <data>/credentials [platform])\n');
  process.exit(args.help ? 0 : 2);
}

/** Parses an AWS shared-credentials/INI file into { profile: { key: value } }, skipping any other line. */
function parseIni(text) {
  const profiles = {};
  let current;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const section = /^\[\s*(?:profile\s+)?([^\]]+?)\s*\]$/.exec(line);
    if (section) { current = profiles[section[1]] ??= {}; continue; }
    const pair = /^([A-Za-z0-9_]+)\s*=\s*(.*)$/.exec(line);
    if (pair && current) current[pair[1]] = pair[2].trim();
  }
  return profiles;
}

const sha256Hex = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => createHmac('sha256', key).update(data).digest();
const encodeRfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Sends one SigV4-signed request (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html). */
async function signedFetch({ method, path, query = {}, body = '', headers = {}, service, credentials }) {
  const url = new URL(path, args.endpoint);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const scope = `${amzDate.slice(0, 8)}/${REGION}/${service}/aws4_request`;
  const payloadHash = sha256Hex(body);
  const all = { ...Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])), host: url.host, 'x-amz-date': amzDate, 'x-amz-content-sha256': payloadHash };
  const names = Object.keys(all).sort();
  const canonicalQuery = Object.entries(query).map(([k, v]) => [encodeRfc3986(k), encodeRfc3986(v)]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  const canonical = [method, url.pathname, canonicalQuery, names.map((n) => `${n}:${String(all[n]).trim()}\n`).join(''), names.join(';'), payloadHash].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
  let key = hmac('AWS4' + credentials.secretKey, amzDate.slice(0, 8));
  for (const part of [REGION, service, 'aws4_request']) key = hmac(key, part);
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  all.authorization = `AWS4-HMAC-SHA256 Credential=${credentials.accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`;
  delete all.host;
  if (canonicalQuery) url.search = canonicalQuery;
  const response = await fetch(url, { method, headers: all, body: method === 'GET' ? undefined : body, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  return { status: response.status, text: await response.text() };
}

const xmlText = (xml, tag) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
const unescapeXml = (s) => s?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** ListBuckets with this key: the Owner s3-tests must be told about. */
async function ownerOf(name, credentials) {
  const { status, text } = await signedFetch({ method: 'GET', path: '/', service: 's3', credentials });
  if (status !== 200) {
    throw new Error(`ListBuckets with profile ${name} (${credentials.accessKey}) answered ${status} ${xmlText(text, 'Code') ?? ''}: ${unescapeXml(xmlText(text, 'Message')) ?? text.slice(0, 200)}`);
  }
  const owner = /<Owner>([\s\S]*?)<\/Owner>/.exec(text)?.[1] ?? '';
  const id = unescapeXml(xmlText(owner, 'ID'));
  if (!id) throw new Error(`ListBuckets with profile ${name} returned no Owner ID: ${text.slice(0, 300)}`);
  return { id, displayName: unescapeXml(xmlText(owner, 'DisplayName')) ?? name };
}

async function accountIdOf(name, credentials, owner, profile) {
  if (profile.aws_account_id) return profile.aws_account_id;
  const body = 'Action=GetCallerIdentity&Version=2011-06-15';
  try {
    const { status, text } = await signedFetch({ method: 'POST', path: '/', body, service: 'sts', credentials, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' } });
    const account = status === 200 ? xmlText(text, 'Account') : undefined;
    if (account) return account;
  } catch { /* fall through to the admin API */ }
  if (args.data) {
    const platform = parseIni(await readFile(join(args.data, 'credentials'), 'utf8')).platform;
    if (platform) {
      const { status, text } = await signedFetch({ method: 'GET', path: '/api/v1/accounts', service: 's3push', credentials: { accessKey: platform.aws_access_key_id, secretKey: platform.aws_secret_access_key } });
      if (status === 200) {
        const match = JSON.parse(text).find((a) => a.name === owner.displayName);
        if (match) return match.accountId;
      }
    }
  }
  process.stderr.write(`warning: no account id for profile ${name} (add aws_account_id to it, or pass --data); using its Owner ID\n`);
  return owner.id;
}

async function main() {
  const profiles = args.credentials ? parseIni(await readFile(args.credentials, 'utf8')) : {};
  if (!profiles.main && args.data) {
    const platform = parseIni(await readFile(join(args.data, 'credentials'), 'utf8')).platform;
    if (platform) profiles.main = platform;
  }
  const accounts = {};
  for (const name of ['main', 'alt', 'tenant']) {
    const profile = profiles[name];
    if (!profile?.aws_access_key_id || !profile.aws_secret_access_key) {
      throw new Error(`no profile [${name}] with aws_access_key_id and aws_secret_access_key in ${args.credentials ?? '(no --credentials)'}`);
    }
    const credentials = { accessKey: profile.aws_access_key_id, secretKey: profile.aws_secret_access_key };
    const owner = await ownerOf(name, credentials);
    accounts[name] = { credentials, owner, accountId: name === 'tenant' ? undefined : await accountIdOf(name, credentials, owner, profile) };
  }
  const distinct = new Set(Object.values(accounts).map((a) => a.owner.id));
  if (distinct.size !== 3) process.stderr.write('warning: main, alt and tenant are not three different accounts; cross-account tests will not mean much\n');

  const section = (title, lines) => [`[${title}]`, ...lines.map(([k, v]) => `${k} = ${v}`), ''].join('\n');
  const endpoint = new URL(args.endpoint);
  const s3User = (name) => [
    ['display_name', accounts[name].owner.displayName],
    ['user_id', accounts[name].owner.id],
    ['email', `${name}@example.com`],
    ['access_key', accounts[name].credentials.accessKey],
    ['secret_key', accounts[name].credentials.secretKey],
  ];
  const root = (name) => [
    ['access_key', accounts[name].credentials.accessKey],
    ['secret_key', accounts[name].credentials.secretKey],
    ['user_id', accounts[name].accountId],
    ['email', `${name}@example.com`],
  ];
  const conf = [
    `# ceph/s3-tests configuration for s3push at ${args.endpoint}, written by scripts/s3-tests/make-config.mjs ${new Date().toISOString()}.`,
    '# user_id/display_name are the Owner that ListBuckets returns for each key. Keep this file out of git: it holds secrets.',
    '',
    section('DEFAULT', [['host', endpoint.hostname], ['port', endpoint.port || (endpoint.protocol === 'https:' ? '443' : '80')], ['is_secure', endpoint.protocol === 'https:' ? 'True' : 'False'], ['ssl_verify', 'False']]),
    section('fixtures', [['bucket prefix', args['bucket-prefix']], ['iam name prefix', 's3-tests-'], ['iam path prefix', '/s3-tests/']]),
    section('s3 main', [...s3User('main'), ['api_name', args['api-name']]]),
    section('s3 alt', s3User('alt')),
    section('s3 tenant', [...s3User('tenant'), ['tenant', 'tenant']]),
    section('iam', s3User('main')),
    section('iam root', root('main')),
    section('iam alt root', root('alt')),
  ].join('\n');
  await writeFile(args.out, conf, { mode: 0o600 });
  process.stdout.write(`wrote ${args.out}: main=${accounts.main.owner.displayName} alt=${accounts.alt.owner.displayName} tenant=${accounts.tenant.owner.displayName}\n`);
}

try {
  await main();
} catch (error) {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
  process.stderr.write(`make-config: ${error instanceof Error ? error.message : String(error)}${cause}\n`);
  process.exit(1);
}
