import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  FIXTURE_NOTES,
  FIXTURE_PNG,
  FIXTURE_SECTIONS,
  FIXTURE_TEXT_IN_ORDER,
  fixtureInput,
  LONG_WORD,
  MISSING_IMAGE,
  PRESENT_IMAGE,
  RTL_TEXT,
} from './fixture.js';
import { exportDocument, exportFormats, type ExportFormat, type ExportInput } from './index.js';
import { DRAFT_MARK } from './messages.js';

// Every format is read back by a real reader: poppler's pdftotext, pdfinfo, pdffonts and
// pdftohtml for PDF, pandoc for DOCX, ODT, Markdown and HTML (installed by
// tests/support/ensure-export-tools.mjs).

const dir = mkdtempSync(path.join(tmpdir(), 'essaim-exports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let fileCount = 0;
function save(bytes: Buffer, extension: string): string {
  const file = path.join(dir, `export-${++fileCount}.${extension}`);
  writeFileSync(file, bytes);
  return file;
}

const run = (command: string, args: string[]): string =>
  execFileSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });

const pandocFrom: Record<Exclude<ExportFormat, 'pdf'>, string> = {
  docx: 'docx',
  odt: 'odt',
  md: 'gfm',
  html: 'html',
};

/** The plain text a person reads in the file, as a real reader extracts it. */
function readBack(bytes: Buffer, format: ExportFormat): string {
  const file = save(bytes, format);
  if (format === 'pdf') return run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  return run('pandoc', ['-f', pandocFrom[format], '-t', 'plain', '--wrap=none', '--columns=400', file]);
}

/** White space collapsed; bidi controls, no-break spaces and curly apostrophes made plain. */
const normalize = (text: string): string =>
  text
    .replace(/[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\u00a0\u202f]/g, ' ')
    .replace(/[’']/g, "'")
    .replace(/\s+/g, ' ');

/** Each of `expected` is found in `text`, each after the previous one. */
function expectInOrder(text: string, expected: readonly string[]): void {
  const haystack = normalize(text);
  let at = 0;
  for (const wanted of expected) {
    const needle = normalize(wanted);
    const found = haystack.indexOf(needle, at);
    expect(
      found,
      `« ${wanted} » après la position ${at} de :\n${haystack.slice(at, at + 400)}`,
    ).toBeGreaterThanOrEqual(0);
    at = found + needle.length;
  }
}

const bytesOf = async (input: ExportInput, format: ExportFormat): Promise<Buffer> => {
  const { body } = await exportDocument(input, format);
  expect(Buffer.isBuffer(body)).toBe(true);
  return body as Buffer;
};

const drafts = new Map<ExportFormat, Buffer>();
const publications = new Map<ExportFormat, Buffer>();

beforeAll(async () => {
  for (const format of exportFormats) {
    drafts.set(format, await bytesOf(fixtureInput({ draft: true }), format));
    publications.set(format, await bytesOf(fixtureInput({ draft: false }), format));
  }
}, 120_000);

const draft = (format: ExportFormat): Buffer => drafts.get(format) ?? Buffer.alloc(0);
const publication = (format: ExportFormat): Buffer => publications.get(format) ?? Buffer.alloc(0);

describe.each(exportFormats)('the %s export of the fixture', (format) => {
  it('shows every section, paragraph, list item, table cell, image alternative text and link, in order', () => {
    expectInOrder(readBack(draft(format), format), FIXTURE_TEXT_IN_ORDER);
  });

  it('shows the footnotes, numbered in document order', () => {
    const text = normalize(readBack(draft(format), format));
    expectInOrder(text, FIXTURE_NOTES);
    // Calls 1 and 2 come before their notes.
    expect(text).toMatch(/une note ?(\[\^?1\]|¹|1)/);
  });

  it('keeps the 300-character word whole and the right-to-left text in reading order', () => {
    const text = readBack(draft(format), format);
    expect(text.replace(/\s+/g, '')).toContain(LONG_WORD);
    expect(normalize(text)).toContain(RTL_TEXT);
  });

  it('puts the title, the metadata and the draft mark with its date on a draft', () => {
    const text = readBack(draft(format), format);
    expect(normalize(text)).toContain(`${DRAFT_MARK} (état du 3 mars 2026 à 14:05)`);
    expectInOrder(text, [
      'Conférences familiales en Ardèche',
      'Territoire',
      'Ardèche (07)',
      'Structure porteuse',
      'Conseil départemental de l’Ardèche',
    ]);
  });

  it('has no draft mark on a publication, whose number and date it shows instead', () => {
    const text = normalize(readBack(publication(format), format));
    expect(text).not.toContain('Document de travail');
    expect(text).toContain('Publication n° 2 du 3 mars 2026');
  });

  it('replaces a missing image by its alternative text', () => {
    expect(normalize(readBack(draft(format), format))).toContain(
      '[Image non disponible : Photo de la réunion] [Image non disponible : Carte du territoire]',
    );
  });
});

describe('the PDF export', () => {
  it('is A4, paginated, with page numbers that match its page count', () => {
    const file = save(draft('pdf'), 'pdf');
    const info = run('pdfinfo', [file]);
    const pages = Number(/Pages:\s+(\d+)/.exec(info)?.[1]);
    expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    expect(pages).toBeGreaterThanOrEqual(4);
    const text = run('pdftotext', ['-layout', file, '-']);
    expect(text).toContain(`Page ${pages} sur ${pages}`);
    expect(text).toContain(`Page 2 sur ${pages}`);
  });

  it('has a table of contents and one bookmark per section, each on the page showing that section', () => {
    const file = save(draft('pdf'), 'pdf');
    const xml = run('pdftohtml', ['-xml', '-i', '-q', '-stdout', file]);
    const outline = [...xml.matchAll(/<item page="(\d+)">([^<]*)<\/item>/g)].map((m) => ({
      page: Number(m[1]),
      title: (m[2] ?? '').replace(/&amp;/g, '&').replace(/&#39;|&apos;/g, "'"),
    }));
    expect(outline.map((o) => o.title)).toEqual(FIXTURE_SECTIONS);
    for (const { page, title } of outline) {
      expect(normalize(run('pdftotext', ['-f', String(page), '-l', String(page), file, '-']))).toContain(
        title,
      );
    }
    const contents = normalize(run('pdftotext', ['-f', '2', '-l', '2', '-layout', file, '-']));
    expectInOrder(contents, [
      'Sommaire',
      ...FIXTURE_SECTIONS.map((title, i) => `${title} ${outline[i]?.page}`),
    ]);
  });

  it('marks every page of a draft, and no page of a publication', () => {
    const file = save(draft('pdf'), 'pdf');
    const pages = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))?.[1]);
    for (let page = 1; page <= pages; page++) {
      expect(run('pdftotext', ['-f', String(page), '-l', String(page), file, '-'])).toContain(DRAFT_MARK);
    }
    expect(run('pdftotext', [save(publication('pdf'), 'pdf'), '-'])).not.toContain('Document de travail');
  });

  it('embeds Marianne, with Noto Sans Arabic and Noto Emoji for what Marianne cannot draw', () => {
    const fonts = run('pdffonts', [save(draft('pdf'), 'pdf')]);
    for (const name of ['Marianne', 'NotoSansArabic', 'NotoEmoji']) {
      expect(fonts).toMatch(
        new RegExp(`\\+${name}\\S*\\s+CID (TrueType|Type 0C)\\s+Identity-H\\s+yes\\s+yes\\s+yes`),
      );
    }
  });

  it('lays out a word of 50,000 letters and a table cell of 20,000 in reasonable time, whole, and a rowspan past the last row', async () => {
    const huge = 'a'.repeat(50_000);
    const input: ExportInput = {
      ...fixtureInput({ draft: false }),
      content: {
        type: 'doc',
        content: [
          {
            type: 'section',
            attrs: { id: 's1', key: null },
            content: [
              { type: 'sectionTitle', content: [{ type: 'text', text: 'Mots sans fin' }] },
              { type: 'paragraph', content: [{ type: 'text', text: `Début ${huge} fin.` }] },
              {
                type: 'table',
                content: [
                  {
                    type: 'tableRow',
                    content: [
                      {
                        type: 'tableCell',
                        attrs: { colspan: 1, rowspan: 9 },
                        content: [
                          { type: 'paragraph', content: [{ type: 'text', text: 'b'.repeat(20_000) }] },
                        ],
                      },
                      {
                        type: 'tableCell',
                        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'A2' }] }],
                      },
                    ],
                  },
                  {
                    type: 'tableRow',
                    content: [
                      {
                        type: 'tableCell',
                        content: [{ type: 'paragraph', content: [{ type: 'text', text: 'B2' }] }],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    };
    const file = save(await bytesOf(input, 'pdf'), 'pdf');
    // Across pages: without the page footers and breaks, the words read whole.
    const text = normalize(run('pdftotext', [file, '-']))
      .replace(/Page \d+ sur \d+/g, '')
      .replace(/\s+/g, '');
    expect(text).toContain(`Début${huge}fin.`);
    // Every letter of the cell is there (and a few « b » of the title page).
    expect((text.match(/b/g) ?? []).length).toBeGreaterThanOrEqual(20_000);
    expectInOrder(text, ['A2', 'B2']);
  }, 60_000);

  it('shows the image that could be loaded', () => {
    const xml = run('pdfimages', ['-list', save(draft('pdf'), 'pdf')]);
    expect(xml).toMatch(/\b120\s+60\s+rgb\b/);
  });
});

describe('the DOCX export', () => {
  const parts = () => unzipSync(new Uint8Array(draft('docx')));
  const part = (name: string) => strFromU8(parts()[name] ?? new Uint8Array());

  it('writes sections and headings as Word headings, which pandoc reads as an outline', () => {
    const markdown = run('pandoc', [
      '-f',
      'docx',
      '-t',
      'markdown',
      '--wrap=none',
      save(draft('docx'), 'docx'),
    ]);
    expect(markdown).toContain('# Présentation de la pratique');
    expect(markdown).toContain('# Section sans titre');
    expect(markdown).toContain('## Intertitre de niveau trois');
    expect(markdown).toContain('### Intertitre de niveau quatre');
    expect(markdown).toMatch(/3\.\s+Étape trois/);
  });

  it('writes Word footnotes, merged table cells, the image with its alternative text and links', () => {
    expect(part('word/footnotes.xml')).toContain('Première note de bas de page.');
    const document = part('word/document.xml');
    expect(document).toContain('<w:gridSpan w:val="2"/>');
    expect(document).toMatch(
      /<w:vMerge w:val="restart"\/>[\s\S]*<w:vMerge w:val="continue"\/>|<w:vMerge w:val="restart"\/>[\s\S]*<w:vMerge\/>/,
    );
    expect(document).toMatch(/<wp:docPr [^>]*descr="Schéma du dispositif"/);
    expect(Object.keys(parts()).some((name) => name.startsWith('word/media/'))).toBe(true);
    expect(part('word/_rels/document.xml.rels')).toContain('https://www.example.org/hcts');
  });

  it('puts the draft mark in the header of every page of a draft only', () => {
    const headers = Object.entries(parts()).filter(([name]) => /^word\/header\d*\.xml$/.test(name));
    expect(headers.some(([, bytes]) => strFromU8(bytes).includes(DRAFT_MARK))).toBe(true);
    const published = unzipSync(new Uint8Array(publication('docx')));
    expect(Object.values(published).some((bytes) => strFromU8(bytes).includes('Document de travail'))).toBe(
      false,
    );
  });
});

describe('the ODT export', () => {
  const zip = () => draft('odt');

  it('is an OpenDocument package: mimetype first and stored, then the manifest naming every part', () => {
    const bytes = zip();
    // Local file header: signature, then method 0 (stored) at offset 8, name at offset 30.
    expect(bytes.readUInt32LE(0)).toBe(0x04034b50);
    expect(bytes.readUInt16LE(8)).toBe(0);
    expect(bytes.toString('latin1', 30, 38)).toBe('mimetype');
    expect(bytes.toString('latin1', 38, 38 + 39)).toBe('application/vnd.oasis.opendocument.text');
    const files = unzipSync(new Uint8Array(bytes));
    const manifest = strFromU8(files['META-INF/manifest.xml'] ?? new Uint8Array());
    for (const name of Object.keys(files).filter((n) => n !== 'mimetype' && n !== 'META-INF/manifest.xml')) {
      expect(manifest).toContain(`manifest:full-path="${name}"`);
    }
    expect(Buffer.from(files['Pictures/image1.png'] ?? new Uint8Array()).equals(FIXTURE_PNG)).toBe(true);
  });

  it('writes headings with outline levels, notes, lists and the merged cells on a full grid', () => {
    const content = strFromU8(unzipSync(new Uint8Array(zip()))['content.xml'] ?? new Uint8Array());
    expect(content).toContain(
      '<text:h text:style-name="Heading_20_1" text:outline-level="1">Présentation de la pratique</text:h>',
    );
    expect(content).toContain('text:outline-level="2">Intertitre de niveau trois</text:h>');
    expect(content).toContain('<text:note-citation>2</text:note-citation>');
    expect(content).toContain('table:number-columns-spanned="2"');
    expect(content).toContain('table:number-rows-spanned="2"');
    // Four rows of three places: 12 cells, of which 1 (column span) + 1 (row span) are covered.
    expect(content.match(/<table:covered-table-cell\/>/g)).toHaveLength(2);
    const markdown = run('pandoc', ['-f', 'odt', '-t', 'markdown', '--wrap=none', save(zip(), 'odt')]);
    expect(markdown).toContain('# Présentation de la pratique');
    expect(markdown).toContain('## Intertitre de niveau trois');
    expect(markdown).toMatch(/3\.\s+Étape trois/);
  });

  it('puts the draft mark in the page header of a draft only', () => {
    const styles = (bytes: Buffer) =>
      strFromU8(unzipSync(new Uint8Array(bytes))['styles.xml'] ?? new Uint8Array());
    expect(styles(zip())).toMatch(/<style:header>.*Document de travail — non publié/);
    expect(styles(publication('odt'))).not.toContain('Document de travail');
  });
});

describe('the Markdown and HTML exports', () => {
  it('write GFM tables and footnotes in Markdown', () => {
    const markdown = draft('md').toString('utf8');
    expect(markdown).toContain('| Partenaire | Rôle | Budget |');
    expect(markdown).toContain('[^1]: Première note de bas de page.');
    expect(markdown).toContain('## Présentation de la pratique');
    expect(markdown).toContain(`![Schéma du dispositif](${PRESENT_IMAGE})`);
    expect(markdown).not.toContain(MISSING_IMAGE);
  });

  it('make one standalone HTML page: inline style, image inlined, no script, nothing loaded from elsewhere', () => {
    const html = draft('html').toString('utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(html).toContain('<style>');
    expect(html).toContain(`src="data:image/png;base64,${FIXTURE_PNG.toString('base64')}"`);
    expect(html).not.toMatch(/<script|<link|src="(?!data:)/);
    expect(html).toContain('<ol start="3">');
    expect(html).toContain('<p class="draft-mark" role="note">');
    expect(publication('html').toString('utf8')).not.toContain('draft-mark"');
  });
});

describe('hostile and broken content', () => {
  const hostile: ExportInput = {
    ...fixtureInput({ draft: true }),
    title: 'Titre <b>&amp;</b> "guillemets" ]]>',
    content: {
      type: 'doc',
      content: [
        {
          type: 'section',
          attrs: { id: 'x', key: null },
          content: [
            {
              type: 'sectionTitle',
              content: [{ type: 'text', text: '<script>alert(1)</script> & </text:p>' }],
            },
            {
              type: 'paragraph',
              content: [
                {
                  type: 'text',
                  text: 'lien piégé',
                  marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }],
                },
                { type: 'text', text: ' \u0001\u0008 caractères de contrôle' },
              ],
            },
            { type: 'image', attrs: { src: '/api/files/pas-une-image', alt: 'Image truquée' } },
          ],
        },
      ],
    },
    images: async () => ({ data: Buffer.from('<svg onload="alert(1)"/>'), mime: 'image/png' }),
  };

  it.each(exportFormats)(
    'keep markup as text, drop a javascript: link and bytes that are no image (%s)',
    async (format) => {
      const bytes = await bytesOf(hostile, format);
      const text = normalize(readBack(bytes, format));
      expect(text).toContain('<script>alert(1)</script> & </text:p>');
      expect(text).toContain('lien piégé');
      expect(text).toContain('[Image non disponible : Image truquée]');
      const raw =
        format === 'docx' || format === 'odt'
          ? Object.values(unzipSync(new Uint8Array(bytes)))
              .map((part) => strFromU8(part))
              .join('')
          : bytes.toString('latin1');
      expect(raw).not.toContain('javascript:');
      expect(raw).not.toContain('onload');
    },
  );

  it.each(exportFormats)(
    'finish when an image never arrives, with its alternative text in its place (%s)',
    async (format) => {
      const input: ExportInput = {
        ...fixtureInput({ draft: true }),
        content: {
          type: 'doc',
          content: [
            {
              type: 'section',
              attrs: { id: 'x', key: null },
              content: [
                { type: 'sectionTitle', content: [{ type: 'text', text: 'Une image en route' }] },
                { type: 'image', attrs: { src: PRESENT_IMAGE, alt: 'Jamais reçue' } },
              ],
            },
          ],
        },
        images: () => new Promise(() => undefined),
      };
      const { body } = await exportDocument(input, format, { imageTimeoutMs: 50 });
      expect(normalize(readBack(body as Buffer, format))).toContain('[Image non disponible : Jamais reçue]');
    },
  );

  it('refuses content that is not a document of the shared schema', async () => {
    await expect(
      exportDocument(
        { ...fixtureInput({ draft: true }), content: { type: 'doc', content: [{ type: 'iframe' }] } },
        'pdf',
      ),
    ).rejects.toThrow();
  });
});
