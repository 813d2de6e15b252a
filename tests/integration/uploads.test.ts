import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDocument, invite, type Session } from '../support/accounts.js';
import { useTestInstance } from '../support/instance.js';

/** The smallest valid images of each accepted type (1×1 pixel). */
const IMAGES = {
  'image/png': Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
    'base64',
  ),
  'image/jpeg': Buffer.from(
    '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////' +
      '////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
    'base64',
  ),
  'image/gif': Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'),
  'image/webp': Buffer.from('UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==', 'base64'),
};
const PNG = IMAGES['image/png'];
const SVG = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(document.cookie)</script></svg>',
);
const MIB = 1024 * 1024;

const instance = useTestInstance();
let rapporteur: Session;
let unassigned: Session;
let membre: Session;
let outsider: Session;
let docId: string;

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const filesDir = (): string => path.join(instance.server.dataDir, 'files');

function upload(
  who: Session,
  documentId: string,
  bytes: Uint8Array<ArrayBuffer>,
  type = 'image/png',
): Promise<Response> {
  return who.fetch(`/api/documents/${documentId}/files`, {
    method: 'POST',
    headers: { 'content-type': type },
    body: bytes,
  });
}

async function uploaded(
  who: Session,
  documentId: string,
  bytes: Uint8Array<ArrayBuffer>,
  type = 'image/png',
) {
  const response = await upload(who, documentId, bytes, type);
  expect(response.status).toBe(201);
  return (await response.json()) as { hash: string; url: string; mime: string; size: number };
}

const errorOf = async (response: Response) => (await response.json()) as { error: string; message: string };

/** Every file under `files/`, temporary ones included, relative to it. */
function filesOnDisk(): string[] {
  if (!fs.existsSync(filesDir())) return [];
  return fs
    .readdirSync(filesDir(), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(filesDir(), path.join(entry.parentPath, entry.name)))
    .sort();
}

const countRows = (sql: string, ...params: string[]): number =>
  (instance.server.services.db.prepare(sql).get(...params) as { n: number }).n;

/** A GET sent exactly as written: `fetch` would clean `..` out of the path before sending it. */
function rawGet(
  pathname: string,
  cookie: string,
): Promise<{ status: number; contentType: string; body: Buffer }> {
  const url = new URL(instance.server.url);
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: url.hostname, port: url.port, path: pathname, headers: { cookie } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            contentType: response.headers['content-type'] ?? '',
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    request.on('error', reject);
  });
}

beforeAll(async () => {
  const { admin, espaceId } = instance;
  rapporteur = await invite(admin, espaceId, 'rapporteur', 'Rachid Rapporteur');
  unassigned = await invite(admin, espaceId, 'rapporteur', 'Rose Rapporteuse');
  membre = await invite(admin, espaceId, 'membre', 'Marc Membre');
  const created = await admin.fetch('/api/espaces', { method: 'POST', json: { name: 'Aller-vers' } });
  expect(created.status).toBe(201);
  const otherEspace = ((await created.json()) as { id: string }).id;
  outsider = await invite(admin, otherEspace, 'animateur', 'Esther Extérieure');
  docId = (await createDocument(admin, espaceId, 'Pair-aidance en Ardèche')).id;
  const assigned = await admin.fetch(`/api/documents/${docId}/assignments`, {
    method: 'POST',
    json: { userId: rapporteur.userId },
  });
  expect(assigned.status).toBe(200);
});

describe('uploading an image into a document', () => {
  it('lets the assigned rapporteur upload a PNG and read back the same bytes with safe headers', async () => {
    const response = await upload(rapporteur, docId, PNG);
    expect(response.status).toBe(201);
    const hash = sha256(PNG);
    expect(await response.json()).toEqual({
      hash,
      url: `/api/files/${hash}`,
      mime: 'image/png',
      size: PNG.length,
    });

    const read = await rapporteur.fetch(`/api/files/${hash}`);
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer())).toEqual(PNG);
    expect(read.headers.get('content-type')).toBe('image/png');
    expect(read.headers.get('content-length')).toBe(String(PNG.length));
    expect(read.headers.get('x-content-type-options')).toBe('nosniff');
    expect(read.headers.get('content-disposition')).toBe(`inline; filename="${hash}.png"`);
    expect(read.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(read.headers.get('etag')).toBe(`"${hash}"`);
    expect(read.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
  });

  it('writes the file at files/<first two hex>/<hash> and leaves no temporary file', async () => {
    const hash = sha256(PNG);
    await uploaded(rapporteur, docId, PNG);
    expect(filesOnDisk()).toContain(path.join(hash.slice(0, 2), hash));
    expect(fs.readFileSync(path.join(filesDir(), hash.slice(0, 2), hash))).toEqual(PNG);
    expect(filesOnDisk().filter((f) => f.endsWith('.tmp') || path.basename(f).startsWith('.'))).toEqual([]);
  });

  it('stores the same bytes once, however often and wherever they are uploaded', async () => {
    const bytes = IMAGES['image/gif'];
    const hash = sha256(bytes);
    const other = (await createDocument(instance.admin, instance.espaceId, 'Aller-vers en Lozère')).id;
    const first = await uploaded(instance.admin, docId, bytes, 'image/gif');
    const onDisk = path.join(filesDir(), hash.slice(0, 2), hash);
    const written = fs.statSync(onDisk);
    const second = await uploaded(instance.admin, docId, bytes, 'image/gif');
    const third = await uploaded(instance.admin, other, bytes, 'image/gif');
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect(countRows('SELECT count(*) AS n FROM files WHERE hash = ?', hash)).toBe(1);
    expect(countRows('SELECT count(*) AS n FROM document_files WHERE hash = ?', hash)).toBe(2);
    expect(filesOnDisk().filter((f) => f.includes(hash))).toEqual([path.join(hash.slice(0, 2), hash)]);
    // Not rewritten either: the very same file on disk.
    expect(fs.statSync(onDisk)).toMatchObject({ ino: written.ino, mtimeMs: written.mtimeMs });
  });

  it('stores one file when the same image arrives twice at the same moment', async () => {
    const bytes = IMAGES['image/jpeg'];
    const hash = sha256(bytes);
    const responses = await Promise.all([
      upload(rapporteur, docId, bytes, 'image/jpeg'),
      upload(rapporteur, docId, bytes, 'image/jpeg'),
    ]);
    expect(responses.map((r) => r.status)).toEqual([201, 201]);
    expect(countRows('SELECT count(*) AS n FROM files WHERE hash = ?', hash)).toBe(1);
    expect(filesOnDisk().filter((f) => f.includes(hash))).toEqual([path.join(hash.slice(0, 2), hash)]);
    expect(fs.readFileSync(path.join(filesDir(), hash.slice(0, 2), hash))).toEqual(bytes);
  });

  it('accepts JPEG, GIF and WebP images, each served with its own type and extension', async () => {
    for (const [mime, ext] of [
      ['image/jpeg', 'jpg'],
      ['image/gif', 'gif'],
      ['image/webp', 'webp'],
    ] as const) {
      const bytes = IMAGES[mime];
      const body = await uploaded(rapporteur, docId, bytes, mime);
      expect(body).toMatchObject({ hash: sha256(bytes), mime, size: bytes.length });
      const read = await membre.fetch(body.url);
      expect(read.status).toBe(200);
      expect(read.headers.get('content-type')).toBe(mime);
      expect(read.headers.get('content-disposition')).toBe(`inline; filename="${body.hash}.${ext}"`);
      expect(Buffer.from(await read.arrayBuffer())).toEqual(bytes);
    }
  });

  it('records each upload in the audit log against the document', async () => {
    const bytes = IMAGES['image/webp'];
    await uploaded(rapporteur, docId, bytes, 'image/webp');
    const response = await instance.admin.fetch('/api/audit');
    expect(response.status).toBe(200);
    const { entries } = (await response.json()) as {
      entries: { action: string; actor: { id: string } | null; targetId: string | null; details: unknown }[];
    };
    const entry = entries.find((e) => e.action === 'file.upload');
    expect(entry).toMatchObject({
      actor: { id: rapporteur.userId },
      targetId: docId,
      details: { hash: sha256(bytes), mime: 'image/webp', size: bytes.length },
    });
  });
});

describe('caching', () => {
  it('answers 304 without the bytes when the browser already has this hash', async () => {
    const { hash, url } = await uploaded(rapporteur, docId, PNG);
    const cached = await rapporteur.fetch(url, { headers: { 'if-none-match': `"${hash}"` } });
    expect(cached.status).toBe(304);
    expect(cached.headers.get('etag')).toBe(`"${hash}"`);
    expect((await cached.arrayBuffer()).byteLength).toBe(0);

    const stale = await rapporteur.fetch(url, { headers: { 'if-none-match': `"${'0'.repeat(64)}"` } });
    expect(stale.status).toBe(200);
    expect(Buffer.from(await stale.arrayBuffer())).toEqual(PNG);
  });
});

describe('who may upload and read', () => {
  it('refuses an upload from a membre (403, in French) but lets them see the image', async () => {
    const refused = await upload(membre, docId, IMAGES['image/jpeg'], 'image/jpeg');
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toMatch(/ne pouvez pas ajouter d’image/);

    const { url } = await uploaded(rapporteur, docId, PNG);
    const read = await membre.fetch(url);
    expect(read.status).toBe(200);
    expect(Buffer.from(await read.arrayBuffer())).toEqual(PNG);
  });

  it('refuses an upload from a rapporteur who is not assigned to the document', async () => {
    const refused = await upload(unassigned, docId, PNG);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toMatch(/il faut pouvoir le modifier/);
  });

  it('answers 404 to someone from another espace, exactly as for an image that does not exist', async () => {
    const { url } = await uploaded(rapporteur, docId, PNG);
    const hidden = await outsider.fetch(url);
    expect(hidden.status).toBe(404);
    const unknown = await outsider.fetch(`/api/files/${'a'.repeat(64)}`);
    expect(unknown.status).toBe(404);
    expect(await errorOf(hidden)).toEqual(await errorOf(unknown));

    const refused = await upload(outsider, docId, PNG);
    expect(refused.status).toBe(403);
  });

  it('asks an anonymous caller to log in, to upload as to read', async () => {
    const { url } = await uploaded(rapporteur, docId, PNG);
    const base = instance.server.url;
    const read = await fetch(`${base}${url}`);
    expect(read.status).toBe(401);
    expect((await errorOf(read)).error).toBe('unauthorized');

    const sent = await fetch(`${base}/api/documents/${docId}/files`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', origin: base },
      body: PNG,
    });
    expect(sent.status).toBe(401);
    expect((await errorOf(sent)).message).toBe('Vous devez vous connecter.');
  });

  it('answers 404 for an upload into a document that does not exist', async () => {
    const response = await upload(rapporteur, '00000000-0000-4000-8000-000000000000', PNG);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe('Ce document n’existe pas.');
  });
});

describe('what is refused', () => {
  const refusals: [label: string, bytes: Buffer<ArrayBuffer>, type: string, message: RegExp][] = [
    [
      'a text file declared as a PNG',
      Buffer.from('Bonjour, ceci est un texte.'),
      'image/png',
      /n’est pas une image/,
    ],
    ['an SVG image (it can run scripts)', SVG, 'image/svg+xml', /PNG, JPEG, GIF et WebP/],
    ['an SVG image declared as a PNG', SVG, 'image/png', /n’est pas une image/],
    ['a PNG declared as a JPEG', PNG, 'image/jpeg', /ne correspond pas au type annoncé/],
    ['a PNG declared as text', PNG, 'text/plain', /PNG, JPEG, GIF et WebP/],
  ];
  for (const [label, bytes, type, message] of refusals) {
    it(`refuses ${label} with 415 and a French message`, async () => {
      const before = { disk: filesOnDisk(), rows: countRows('SELECT count(*) AS n FROM files') };
      const response = await upload(rapporteur, docId, bytes, type);
      expect(response.status).toBe(415);
      expect(await errorOf(response)).toEqual({
        error: 'unsupported_media_type',
        message: expect.stringMatching(message) as unknown,
      });
      expect({ disk: filesOnDisk(), rows: countRows('SELECT count(*) AS n FROM files') }).toEqual(before);
    });
  }

  it('refuses an empty body with 400 and a French message', async () => {
    const response = await upload(rapporteur, docId, new Uint8Array(0));
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({
      error: 'invalid_input',
      message: 'Le fichier envoyé est vide.',
    });
  });

  it('refuses a body just over 10 Mio with 413 and stores nothing', async () => {
    const big = Buffer.alloc(10 * MIB + 1);
    PNG.copy(big);
    const before = filesOnDisk();
    const rows = countRows('SELECT count(*) AS n FROM files');
    const response = await upload(rapporteur, docId, big);
    expect(response.status).toBe(413);
    expect(await errorOf(response)).toEqual({
      error: 'payload_too_large',
      message: 'L’image dépasse la taille maximale autorisée (10 Mio).',
    });
    expect(filesOnDisk()).toEqual(before);
    expect(countRows('SELECT count(*) AS n FROM files')).toBe(rows);
    expect(countRows('SELECT count(*) AS n FROM files WHERE hash = ?', sha256(big))).toBe(0);
  });

  it('answers 404 to path tricks and malformed hashes, never with the database or a system file', async () => {
    const { hash } = await uploaded(rapporteur, docId, PNG);
    const tricks = [
      '/api/files/..%2Fessaim.sqlite',
      '/api/files/..%2F..%2Fessaim.sqlite',
      '/api/files/%2e%2e%2fessaim.sqlite',
      '/api/files/..%5Cessaim.sqlite',
      '/api/files/../essaim.sqlite',
      '/api/files/../../etc/passwd',
      '/api/files/..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd',
      `/api/files/${hash.toUpperCase()}`,
      `/api/files/${hash.slice(0, 63)}`,
      `/api/files/${hash}.png`,
      `/api/files/${hash}%00`,
      `/api/files/${hash.slice(0, 2)}%2F${hash}`,
    ];
    for (const trick of tricks) {
      const response = await rawGet(trick, rapporteur.cookie);
      expect(response.status, trick).toBe(404);
      expect(response.contentType, trick).toMatch(/^application\/json/);
      expect(response.body.includes('SQLite format'), trick).toBe(false);
      expect(response.body.includes('root:'), trick).toBe(false);
    }
  });
});
