// multipart/form-data for POST Object: fields before the file, the file streamed across any chunking
// (a boundary split between chunks, bytes that look like a boundary), limits, and malformed bodies.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { S3Error } from '../../src/core/errors.js';
import { formBoundary, readFormUntilFile, type FormLimits, type ParsedForm } from '../../src/protocol/multipart-form.js';

const limits: FormLimits = { fieldsBytesMax: 20 * 1024, trailerBytesMax: 20 * 1024, fileFieldName: 'file' };

/** Feeds `body` in chunks of the given sizes (cycled). */
async function* chunked(body: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let offset = 0;
  for (let i = 0; offset < body.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield body.subarray(offset, offset + size);
    offset += size;
  }
}

async function readAll(source: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(chunk);
  return Buffer.concat(parts);
}

/** What a browser (undici's FormData) sends: its Content-Type and body. */
async function encode(entries: [string, string | Blob, string?][]): Promise<{ boundary: string; body: Buffer }> {
  const form = new FormData();
  for (const [name, value, filename] of entries) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, filename);
  }
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const boundary = formBoundary(request.headers.get('content-type') ?? undefined);
  assert.ok(boundary);
  return { boundary, body: Buffer.from(await request.arrayBuffer()) };
}

function handBuilt(boundary: string, parts: string[], closing = `--${boundary}--\r\n`): Buffer {
  return Buffer.from(parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('') + closing);
}

async function rejectsWithCode(promise: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof S3Error, `expected S3Error ${code}, got ${String(error)}`);
    assert.equal(error.code, code);
    return true;
  });
}

describe('formBoundary', () => {
  test('the boundary of multipart/form-data, quoted or not; other types are undefined', () => {
    assert.equal(formBoundary('multipart/form-data; boundary=abc123'), 'abc123');
    assert.equal(formBoundary('Multipart/Form-Data; charset=utf-8; boundary="a b;c"'), 'a b;c');
    assert.equal(formBoundary('application/x-www-form-urlencoded'), undefined);
    assert.equal(formBoundary('multipart/mixed; boundary=x'), undefined);
    assert.equal(formBoundary(undefined), undefined);
  });

  test('multipart/form-data without a usable boundary is MalformedPOSTRequest', () => {
    for (const type of ['multipart/form-data', 'multipart/form-data; boundary=', `multipart/form-data; boundary=${'x'.repeat(71)}`]) {
      assert.throws(() => formBoundary(type), (error: unknown) => error instanceof S3Error && error.code === 'MalformedPOSTRequest', type);
    }
  });
});

describe('readFormUntilFile', () => {
  test('fields in order, then the file streamed whole, whatever the chunking', async () => {
    const file = Buffer.concat([randomBytes(70_000), Buffer.from('\r\n--not-the-boundary\r\n'), randomBytes(1000)]);
    const { boundary, body } = await encode([['key', 'a/${filename}'], ['Content-Type', 'text/plain'], ['x-amz-meta-Ünïcode', 'välue'], ['file', new Blob([file]), 'c:\\dir\\photo.jpg']]);
    for (const sizes of [[body.length], [1], [7, 3, 65_536], [boundary.length + 3], [4096, 1, 2]]) {
      const form = await readFormUntilFile(chunked(body, sizes), boundary, limits);
      assert.deepEqual(form.fields, [
        { name: 'key', value: 'a/${filename}' }, { name: 'Content-Type', value: 'text/plain' }, { name: 'x-amz-meta-Ünïcode', value: 'välue' },
      ], `chunks ${sizes.join(',')}`);
      assert.equal(form.file?.filename, 'c:\\dir\\photo.jpg');
      assert.equal(form.file?.contentType, 'application/octet-stream');
      assert.ok((await readAll(form.file!.content)).equals(file), `chunks ${sizes.join(',')}`);
    }
  });

  test('random files and chunkings round-trip (a boundary straddling two chunks included)', async () => {
    for (let round = 0; round < 40; round++) {
      const file = randomBytes(Math.floor(Math.random() * 5000));
      const { boundary, body } = await encode([['key', 'k'], ['file', new Blob([file]), 'f']]);
      const sizes = Array.from({ length: 5 }, () => 1 + Math.floor(Math.random() * 200));
      const form = await readFormUntilFile(chunked(body, sizes), boundary, limits);
      assert.ok((await readAll(form.file!.content)).equals(file), `round ${round}, chunks ${sizes.join(',')}`);
    }
  });

  test('an empty file, and fields after the file, which are read and ignored', async () => {
    const body = handBuilt('B', [
      'Content-Disposition: form-data; name="key"\r\n\r\nk',
      'Content-Disposition: form-data; name="FILE"; filename="e.txt"\r\nContent-Type: text/plain\r\n\r\n',
      'Content-Disposition: form-data; name="after"\r\n\r\nignored',
    ]);
    const form = await readFormUntilFile(chunked(body, [5]), 'B', limits);
    assert.deepEqual(form.fields, [{ name: 'key', value: 'k' }]);
    assert.equal(form.file?.name, 'FILE');
    assert.equal(form.file?.contentType, 'text/plain');
    assert.equal((await readAll(form.file!.content)).length, 0);
  });

  test('a preamble before the first boundary, and no file at all', async () => {
    const body = Buffer.concat([Buffer.from('preamble text\r\n'), handBuilt('B', ['Content-Disposition: form-data; name="key"\r\n\r\nk'])]);
    const form: ParsedForm = await readFormUntilFile(chunked(body, [3]), 'B', limits);
    assert.deepEqual(form, { fields: [{ name: 'key', value: 'k' }] });
  });

  test('filename* (RFC 5987), escaped quotes (RFC 2616 and HTML5) and backslashes in filename', async () => {
    const body = handBuilt('B', [`Content-Disposition: form-data; name="file"; filename*=UTF-8''na%C3%AFve%20file.txt\r\n\r\nx`]);
    assert.equal((await readFormUntilFile(chunked(body, [64]), 'B', limits)).file?.filename, 'naïve file.txt');
    const quoted = handBuilt('B', ['Content-Disposition: form-data; name="file"; filename="a \\"b\\".txt"\r\n\r\nx']);
    assert.equal((await readFormUntilFile(chunked(quoted, [64]), 'B', limits)).file?.filename, 'a "b".txt');
    const html5 = handBuilt('B', ['Content-Disposition: form-data; name="file"; filename="a %22b%22 c:\\x.txt"\r\n\r\nx']);
    assert.equal((await readFormUntilFile(chunked(html5, [64]), 'B', limits)).file?.filename, 'a "b" c:\\x.txt');
  });

  test('fields over fieldsBytesMax are MaxPostPreDataLengthExceededError, even without a boundary in sight', async () => {
    const big = handBuilt('B', [`Content-Disposition: form-data; name="x"\r\n\r\n${'v'.repeat(limits.fieldsBytesMax)}`]);
    await rejectsWithCode(readFormUntilFile(chunked(big, [1000]), 'B', limits), 'MaxPostPreDataLengthExceededError');
    const endless = Buffer.from('--B\r\nContent-Disposition: form-data; name="x"\r\n\r\n' + 'v'.repeat(100_000));
    await rejectsWithCode(readFormUntilFile(chunked(endless, [1000]), 'B', limits), 'MaxPostPreDataLengthExceededError');
  });

  test('malformed bodies are MalformedPOSTRequest', async () => {
    const cases: [string, Buffer][] = [
      ['no boundary at all', Buffer.from('just text')],
      ['a part without Content-Disposition', handBuilt('B', ['Content-Type: text/plain\r\n\r\nx'])],
      ['a part without a name', handBuilt('B', ['Content-Disposition: form-data\r\n\r\nx'])],
      ['not form-data', handBuilt('B', ['Content-Disposition: attachment; name="a"\r\n\r\nx'])],
      ['a field that never ends', Buffer.from('--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue')],
      ['garbage after a boundary', Buffer.from('--Bxyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--B--')],
    ];
    for (const [what, body] of cases) {
      await rejectsWithCode(readFormUntilFile(chunked(body, [4]), 'B', limits), 'MalformedPOSTRequest').catch((error: unknown) => {
        throw new Error(`${what}: ${String(error)}`);
      });
    }
  });

  test('a file without its closing boundary fails while streaming; too much after it too', async () => {
    const truncated = Buffer.from('--B\r\nContent-Disposition: form-data; name="file"\r\n\r\n' + 'x'.repeat(10_000));
    const form = await readFormUntilFile(chunked(truncated, [999]), 'B', limits);
    await rejectsWithCode(readAll(form.file!.content), 'MalformedPOSTRequest');
    const trailing = handBuilt('B', ['Content-Disposition: form-data; name="file"\r\n\r\nx', `Content-Disposition: form-data; name="after"\r\n\r\n${'y'.repeat(limits.trailerBytesMax)}`]);
    const second = await readFormUntilFile(chunked(trailing, [999]), 'B', limits);
    await rejectsWithCode(readAll(second.file!.content), 'MalformedPOSTRequest');
  });
});
