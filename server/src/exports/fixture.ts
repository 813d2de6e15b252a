import { deflateSync } from 'node:zlib';
import type { DocJSON } from '@essaim/editor';
import { emptyMetadata } from '@essaim/protocol';
import type { ExportImage, ExportInput } from './types.js';

/**
 * One document with every node and mark of the shared schema and the hard cases of issue 14
 * (empty section, nested lists, merged cells, a missing image, emoji, a 300-character word,
 * right-to-left text), shared by the unit tests of every format and the export bench.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const out = Buffer.alloc(8 + data.length + 4);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), 8 + data.length);
  return out;
}

/** A real PNG of `width` × `height` pixels, blue to red from left to right (RGB, 8 bits). */
export function testPng(width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const rows = Buffer.alloc(height * (1 + width * 3));
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = y * (1 + width * 3) + 1 + x * 3;
      rows[at] = Math.round((255 * x) / Math.max(1, width - 1));
      rows[at + 1] = 40;
      rows[at + 2] = 145;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** `src` of the image the fixture's loader serves. */
export const PRESENT_IMAGE = '/api/files/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
/** `src` of an image the loader says is missing (null). */
export const MISSING_IMAGE = '/api/files/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
/** `src` of an image whose loader throws. */
export const BROKEN_IMAGE = '/api/files/cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc';

/** A word of 300 letters with no space, to break lines and table cells. */
export const LONG_WORD = `Anticonstitutionnellement${'x'.repeat(300 - 'Anticonstitutionnellement'.length - 3)}fin`;
/** Arabic: « la famille élargie se réunit ». */
export const RTL_TEXT = 'العائلة الموسعة تجتمع';

const text = (value: string, marks?: string[]): DocJSON => ({
  type: 'text',
  text: value,
  ...(marks ? { marks: marks.map((type) => ({ type })) } : {}),
});
const paragraph = (...content: DocJSON[]): DocJSON => ({
  type: 'paragraph',
  ...(content.length ? { content } : {}),
});
const section = (id: string, title: string, ...content: DocJSON[]): DocJSON => ({
  type: 'section',
  attrs: { id, key: null },
  content: [{ type: 'sectionTitle', ...(title ? { content: [text(title)] } : {}) }, ...content],
});
const item = (...content: DocJSON[]): DocJSON => ({ type: 'listItem', content });
const cell = (type: 'tableCell' | 'tableHeader', value: string, colspan = 1, rowspan = 1): DocJSON => ({
  type,
  attrs: { colspan, rowspan, colwidth: null },
  content: [paragraph(text(value))],
});

/** The fixture's content. Every string listed in {@link FIXTURE_TEXT_IN_ORDER} appears once, in that order. */
export const fixtureContent: DocJSON = {
  type: 'doc',
  content: [
    section(
      's-presentation',
      'Présentation de la pratique',
      paragraph(
        text('Texte simple, puis '),
        text('gras', ['bold']),
        text(', '),
        text('italique', ['italic']),
        text(', '),
        text('souligné', ['underline']),
        text(', '),
        text('barré', ['strike']),
        text(', '),
        text('code_en_ligne', ['code']),
        text(' et '),
        {
          type: 'text',
          text: 'un lien vers le HCTS',
          marks: [
            {
              type: 'link',
              attrs: { href: 'https://www.example.org/hcts', target: '_blank', rel: null, class: null },
            },
          ],
        },
        text(' suivi d’une note'),
        { type: 'footnote', attrs: { text: 'Première note de bas de page.' } },
        text('.'),
        { type: 'hardBreak' },
        text('Après le saut de ligne, voir la fiche '),
        { type: 'docRef', attrs: { documentId: 'doc-aller-vers', title: 'Aller-vers dans l’Oise' } },
        text(' et la fiche '),
        { type: 'docRef', attrs: { documentId: 'doc-inconnu', title: 'Fiche non publiée' } },
        text(' 🤝 entraide.'),
      ),
    ),
    section(
      's-deroulement',
      'Déroulement',
      { type: 'heading', attrs: { level: 3 }, content: [text('Intertitre de niveau trois')] },
      paragraph(text('Paragraphe après l’intertitre.')),
      { type: 'heading', attrs: { level: 4 }, content: [text('Intertitre de niveau quatre')] },
      {
        type: 'bulletList',
        content: [
          item(paragraph(text('Puce un')), {
            type: 'bulletList',
            content: [
              item(paragraph(text('Puce un point un')), {
                type: 'bulletList',
                content: [item(paragraph(text('Puce profonde')))],
              }),
            ],
          }),
          item(paragraph(text('Puce deux'))),
        ],
      },
      {
        type: 'orderedList',
        attrs: { start: 3, type: null },
        content: [
          item(paragraph(text('Étape trois')), {
            type: 'orderedList',
            attrs: { start: 1, type: null },
            content: [item(paragraph(text('Sous-étape')))],
          }),
          item(paragraph(text('Étape quatre'))),
        ],
      },
    ),
    section('s-vide', 'Section restée vide', paragraph()),
    section('s-sans-titre', '', paragraph(text('Section dont le titre est vide.'))),
    section('s-tableau', 'Moyens et partenaires', {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            cell('tableHeader', 'Partenaire'),
            cell('tableHeader', 'Rôle'),
            cell('tableHeader', 'Budget'),
          ],
        },
        {
          type: 'tableRow',
          content: [
            cell('tableCell', 'Conseil départemental', 1, 2),
            cell('tableCell', 'Financement et pilotage', 2),
          ],
        },
        { type: 'tableRow', content: [cell('tableCell', 'Coordination'), cell('tableCell', '12 000 €')] },
        {
          type: 'tableRow',
          content: [
            cell('tableCell', 'Association'),
            cell('tableCell', 'Animation'),
            cell('tableCell', LONG_WORD.slice(0, 40)),
          ],
        },
      ],
    }),
    section(
      's-divers',
      'Citations, code et images',
      { type: 'blockquote', content: [paragraph(text('Une citation d’une famille accompagnée.'))] },
      { type: 'codeBlock', attrs: { language: null }, content: [text('ligne_de_code = 1\n  indentée = 2')] },
      { type: 'horizontalRule' },
      { type: 'image', attrs: { src: PRESENT_IMAGE, alt: 'Schéma du dispositif', title: null } },
      { type: 'image', attrs: { src: MISSING_IMAGE, alt: 'Photo de la réunion', title: null } },
      { type: 'image', attrs: { src: BROKEN_IMAGE, alt: 'Carte du territoire', title: null } },
      paragraph(text('Après les images.')),
    ),
    section(
      's-limites',
      'Cas limites',
      paragraph(text(LONG_WORD)),
      paragraph(text(RTL_TEXT)),
      paragraph(
        text('Fin du document'),
        { type: 'footnote', attrs: { text: 'Seconde note, en fin de document.' } },
        text('.'),
      ),
    ),
  ],
};

/** Texts that every format shows, in document order (footnote texts are in {@link FIXTURE_NOTES}). */
export const FIXTURE_TEXT_IN_ORDER = [
  'Présentation de la pratique',
  'Texte simple, puis',
  'gras',
  'italique',
  'souligné',
  'barré',
  'code_en_ligne',
  'un lien vers le HCTS',
  'suivi d’une note',
  'Après le saut de ligne, voir la fiche',
  'Aller-vers dans l’Oise',
  'Fiche non publiée',
  '🤝 entraide.',
  'Déroulement',
  'Intertitre de niveau trois',
  'Paragraphe après l’intertitre.',
  'Intertitre de niveau quatre',
  'Puce un',
  'Puce un point un',
  'Puce profonde',
  'Puce deux',
  'Étape trois',
  'Sous-étape',
  'Étape quatre',
  'Section restée vide',
  'Section sans titre',
  'Section dont le titre est vide.',
  'Moyens et partenaires',
  'Partenaire',
  'Rôle',
  'Budget',
  'Conseil départemental',
  'Financement et pilotage',
  'Coordination',
  '12 000 €',
  'Association',
  'Animation',
  'Une citation d’une famille accompagnée.',
  'ligne_de_code = 1',
  'indentée = 2',
  'Schéma du dispositif',
  'Photo de la réunion',
  'Carte du territoire',
  'Après les images.',
  'Cas limites',
  RTL_TEXT,
  'Fin du document',
] as const;

/** The footnotes, in order. */
export const FIXTURE_NOTES = ['Première note de bas de page.', 'Seconde note, en fin de document.'] as const;

/** The fixture's section titles as bookmarks show them. */
export const FIXTURE_SECTIONS = [
  'Présentation de la pratique',
  'Déroulement',
  'Section restée vide',
  'Section sans titre',
  'Moyens et partenaires',
  'Citations, code et images',
  'Cas limites',
] as const;

/** The image the loader serves for {@link PRESENT_IMAGE}. */
export const FIXTURE_PNG = testPng(120, 60);

/** Serves {@link PRESENT_IMAGE}, answers null for {@link MISSING_IMAGE}, throws for anything else. */
export async function fixtureImages(src: string): Promise<ExportImage | null> {
  if (src === PRESENT_IMAGE) return { data: FIXTURE_PNG, mime: 'image/png' };
  if (src === MISSING_IMAGE) return null;
  throw new Error(`fichier illisible : ${src}`);
}

/** The fixture as an export input: a draft (`draft: true`) or publication n° 2. */
export function fixtureInput(options: { draft: boolean; content?: DocJSON }): ExportInput {
  const date = new Date('2026-03-03T13:05:00Z');
  return {
    title: 'Conférences familiales en Ardèche',
    kind: 'fiche',
    metadata: {
      ...emptyMetadata('Conférences familiales en Ardèche'),
      themes: ['conferences-familiales'],
      categorie: 'renaissante',
      territoire: 'dep:07',
      structure: 'Conseil départemental de l’Ardèche',
      structureType: 'conseil-departemental',
      public: 'Familles accompagnées par l’aide sociale à l’enfance',
      anneeDemarrage: 2019,
      contact: 'conferences@ardeche.example.fr',
      motsCles: ['famille', 'pouvoir d’agir'],
    },
    content: options.content ?? fixtureContent,
    draft: options.draft ? { date } : null,
    publication: options.draft ? null : { number: 2, date },
    images: fixtureImages,
    links: (id) => (id === 'doc-aller-vers' ? 'https://essaim.example.org/pratiques/aller-vers-oise' : null),
  };
}

const PROSE =
  'Les conférences familiales réunissent la famille élargie et ses proches pour élaborer elles-mêmes un plan ' +
  'd’action, avec l’appui d’un coordinateur indépendant. Les professionnels présentent la situation, puis se ' +
  'retirent pendant le temps privé de la famille ; le plan est ensuite discuté et validé ensemble. ';

/**
 * A fiche of about `pages` printed pages (3,000 characters a page, the domain's estimate): the
 * fixture's sections, then as many sections of prose, lists, a table and a note each as needed.
 */
export function bigFixtureContent(pages: number): DocJSON {
  const content = [...(fixtureContent.content ?? [])];
  let characters = 0;
  for (let n = 1; characters < pages * 3000; n++) {
    const paragraphs: DocJSON[] = [];
    for (let p = 0; p < 6; p++) {
      paragraphs.push(
        paragraph(
          text(PROSE),
          text('Point important', ['bold']),
          text(` ${PROSE}`),
          ...(p === 0 ? [{ type: 'footnote', attrs: { text: `Note de la section ${n}.` } }] : []),
        ),
      );
    }
    content.push(
      section(
        `s-${n}`,
        `Section ${n} : retour d’expérience`,
        ...paragraphs,
        {
          type: 'bulletList',
          content: [
            item(paragraph(text('Préparer la réunion'))),
            item(paragraph(text('Inviter les proches'))),
          ],
        },
        {
          type: 'table',
          content: [
            { type: 'tableRow', content: [cell('tableHeader', 'Étape'), cell('tableHeader', 'Durée')] },
            {
              type: 'tableRow',
              content: [cell('tableCell', 'Préparation'), cell('tableCell', 'Six semaines')],
            },
          ],
        },
      ),
    );
    characters += 6 * (2 * PROSE.length + 16) + 60;
  }
  return { type: 'doc', content };
}
