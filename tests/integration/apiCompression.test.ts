import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { useTestInstance } from '../support/instance.js';

/**
 * Issue 16, tester BR31: on a slow line, the API's JSON and the portal's pages travel compressed
 * (brotli, or gzip when only gzip is accepted), like the static files; small answers stay as
 * they are.
 */

const t = useTestInstance();

/** GET `path` with `accept-encoding` and the admin's session, without decoding the body. */
function rawGet(
  path: string,
  acceptEncoding: string,
): Promise<{ encoding?: string; vary?: string; body: Buffer }> {
  const url = new URL(path, t.server.url);
  return new Promise((resolve, reject) => {
    const req = http.get(
      url,
      { headers: { 'accept-encoding': acceptEncoding, cookie: t.admin.cookie, origin: t.server.url } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            encoding: res.headers['content-encoding'],
            vary: res.headers.vary,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
  });
}

describe('answers on the wire', () => {
  it('sends the API’s JSON in brotli, or gzip when only gzip is accepted, and as is otherwise', async () => {
    const plain = await rawGet('/api/reference/territoires', 'identity');
    expect(plain.encoding).toBeUndefined();
    const expected = JSON.parse(plain.body.toString()) as unknown;
    expect(plain.body.byteLength).toBeGreaterThan(1024);

    const br = await rawGet('/api/reference/territoires', 'gzip, deflate, br');
    expect(br.encoding).toBe('br');
    expect(br.vary).toMatch(/accept-encoding/i);
    expect(br.body.byteLength).toBeLessThan(plain.body.byteLength / 2);
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(expected);

    const gzip = await rawGet('/api/reference/territoires', 'gzip');
    expect(gzip.encoding).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(expected);
  });

  it('leaves a small answer uncompressed', async () => {
    const health = await rawGet('/api/health', 'br, gzip');
    expect(health.encoding).toBeUndefined();
    expect(JSON.parse(health.body.toString())).toEqual({ status: 'ok' });
  });

  it('compresses the public portal’s pages', async () => {
    const page = await rawGet('/pratiques/', 'br');
    expect(page.encoding).toBe('br');
    expect(brotliDecompressSync(page.body).toString()).toContain('<html');
  });
});
