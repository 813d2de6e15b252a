import { createRequire } from 'node:module';
import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { TableMap } from '@tiptap/pm/tables';
import type * as PdfMake from 'pdfmake';
import type { Content, CustomTableLayout, Style, TableCell } from 'pdfmake';
import { fontRuns, pdfFonts, TEXT_FONT } from './fonts.js';
import { exportMessages } from './messages.js';
import { baseDirection, safeHref, sectionTitle, type PreparedDocument } from './prepare.js';

// pdfmake's package exports no `interfaces` path under NodeNext: name the types from its functions.
type TDocumentDefinitions = Parameters<typeof PdfMake.createPdf>[0];
type TFontDictionary = Parameters<typeof PdfMake.setFonts>[0];
type ContentText = Extract<Content, { text: unknown }>;
type Decoration = Extract<NonNullable<Style['decoration']>, string>;

/** The part of pdfmake's Node entry point used here (its types describe the browser build). */
interface PdfMakeServer {
  virtualfs: { writeFileSync(name: string, content: Buffer): void };
  setFonts(fonts: TFontDictionary): void;
  setUrlAccessPolicy(policy: (url: string) => boolean): void;
  setLocalAccessPolicy(policy: (path: string) => boolean): void;
  createPdf(definition: TDocumentDefinitions): { getBuffer(): Promise<Buffer> };
}

let pdfmake: PdfMakeServer | null = null;

/**
 * pdfmake, set up once per process: the fonts in its in-memory file system, and neither URLs nor
 * local files reachable from a document (images arrive as data URLs built here).
 */
function printer(): PdfMakeServer {
  if (pdfmake) return pdfmake;
  const instance = createRequire(import.meta.url)('pdfmake') as PdfMakeServer;
  const fonts: TFontDictionary = {};
  for (const family of pdfFonts()) {
    const names = {
      normal: `${family.name}-normal`,
      bold: `${family.name}-bold`,
      italics: `${family.name}-italics`,
      bolditalics: `${family.name}-bolditalics`,
    };
    for (const style of ['normal', 'bold', 'italics', 'bolditalics'] as const) {
      instance.virtualfs.writeFileSync(names[style], family[style]);
    }
    fonts[family.name] = names;
  }
  instance.setFonts(fonts);
  instance.setUrlAccessPolicy(() => false);
  instance.setLocalAccessPolicy(() => false);
  pdfmake = instance;
  return instance;
}

const BLUE = '#000091';
const GREY = '#666666';
const RED = '#ce0500';
/** A4 (595.28 × 841.89 pt) less the side margins. */
const CONTENT_WIDTH = 595.28 - 2 * 56;

const styles: Record<string, Style> = {
  kind: { fontSize: 11, color: BLUE, bold: true, margin: [0, 120, 0, 8] },
  title: { fontSize: 26, bold: true, margin: [0, 0, 0, 16] },
  notice: { fontSize: 11, margin: [0, 0, 0, 24] },
  draft: { fontSize: 11, bold: true, color: RED, margin: [0, 0, 0, 24] },
  metadataLabel: { bold: true, color: GREY },
  contentsTitle: { fontSize: 18, bold: true, margin: [0, 0, 0, 12] },
  sectionTitle: { fontSize: 17, bold: true, color: BLUE, margin: [0, 18, 0, 8] },
  h3: { fontSize: 13.5, bold: true, margin: [0, 10, 0, 4] },
  h4: { fontSize: 11.5, bold: true, margin: [0, 8, 0, 3] },
  p: { margin: [0, 0, 0, 6] },
  caption: { fontSize: 8.5, italics: true, color: GREY, margin: [0, 2, 0, 8] },
  missingImage: { italics: true, color: GREY, margin: [0, 0, 0, 6] },
  notesTitle: { fontSize: 9.5, bold: true, margin: [0, 10, 0, 2] },
  note: { fontSize: 8.5, margin: [0, 0, 0, 6] },
  code: { fontSize: 9 },
};

const quoteLayout: CustomTableLayout = {
  hLineWidth: () => 0,
  vLineWidth: (i: number) => (i === 0 ? 2 : 0),
  vLineColor: () => BLUE,
  paddingLeft: () => 10,
  paddingTop: () => 2,
  paddingBottom: () => 0,
};
const codeLayout: CustomTableLayout = {
  hLineWidth: () => 0,
  vLineWidth: () => 0,
  fillColor: () => '#f2f2f2',
  paddingLeft: () => 8,
  paddingRight: () => 8,
  paddingTop: () => 6,
  paddingBottom: () => 6,
};
const gridLayout: CustomTableLayout = {
  hLineWidth: () => 0.5,
  vLineWidth: () => 0.5,
  hLineColor: () => '#929292',
  vLineColor: () => '#929292',
};

/** Inline style carried by marks. */
type InlineStyle = Style & { link?: string };

/** Walks the document; footnotes are numbered in document order and printed after their section. */
class PdfWriter {
  private noteNumber = 0;
  private pendingNotes: { number: number; text: string }[] = [];
  readonly images: Record<string, string> = {};
  private sectionCount = 0;
  /** Width left for the block being written, in points (lists, quotes and cells take some). */
  private width = CONTENT_WIDTH;

  constructor(
    private readonly prepared: PreparedDocument,
    private readonly withImages: boolean,
  ) {}

  body(): Content[] {
    const out: Content[] = [];
    this.prepared.doc.forEach((child) => {
      if (child.type.name === 'section') out.push(...this.section(child));
      else out.push(...this.block(child));
    });
    out.push(...this.flushNotes());
    return out;
  }

  private section(section: PMNode): Content[] {
    const id = `section-${++this.sectionCount}`;
    const out: Content[] = [
      {
        text: this.runs(sectionTitle(section)),
        style: 'sectionTitle',
        tocItem: true,
        outline: true,
        outlineText: sectionTitle(section),
        id,
        headlineLevel: 1,
      } as Content,
    ];
    section.forEach((child) => {
      if (child.type.name !== 'sectionTitle') out.push(...this.block(child));
    });
    out.push(...this.flushNotes());
    return out;
  }

  private flushNotes(): Content[] {
    if (this.pendingNotes.length === 0) return [];
    const notes = this.pendingNotes;
    this.pendingNotes = [];
    return [
      { text: exportMessages.notes, style: 'notesTitle' },
      {
        ol: notes.map((note) => ({ text: this.runs(note.text) })),
        start: notes[0]?.number ?? 1,
        style: 'note',
      },
    ];
  }

  private blocks(node: PMNode, inset = 0): Content[] {
    const out: Content[] = [];
    const width = this.width;
    this.width = Math.max(60, width - inset);
    node.forEach((child) => out.push(...this.block(child)));
    this.width = width;
    return out;
  }

  private block(node: PMNode): Content[] {
    switch (node.type.name) {
      case 'paragraph':
        return [this.textBlock(node, 'p')];
      case 'heading':
        return [this.textBlock(node, node.attrs.level === 4 ? 'h4' : 'h3')];
      case 'bulletList':
        return [{ ul: this.listItems(node), margin: [0, 0, 0, 6] }];
      case 'orderedList':
        return [
          { ol: this.listItems(node), start: Number(node.attrs.start ?? 1) || 1, margin: [0, 0, 0, 6] },
        ];
      case 'blockquote':
        return [
          {
            table: { widths: ['*'], body: [[{ stack: this.blocks(node, 14), italics: true }]] },
            layout: quoteLayout,
            margin: [0, 0, 0, 6],
          },
        ];
      case 'codeBlock':
        return [
          {
            table: {
              widths: ['*'],
              body: [[{ text: this.runs(node.textContent), preserveLeadingSpaces: true, style: 'code' }]],
            },
            layout: codeLayout,
            margin: [0, 0, 0, 8],
          },
        ];
      case 'horizontalRule':
        return [
          {
            canvas: [{ type: 'line', x1: 0, y1: 6, x2: this.width, y2: 6, lineWidth: 0.5, lineColor: GREY }],
            margin: [0, 0, 0, 12],
          },
        ];
      case 'table':
        return [this.table(node)];
      case 'image':
        return this.image(node);
      default:
        return node.isTextblock ? [this.textBlock(node, 'p')] : this.blocks(node);
    }
  }

  private textBlock(node: PMNode, style: string): Content {
    const rtl = baseDirection(node.textContent) === 'rtl';
    return { text: this.inlines(node), style, ...(rtl ? { alignment: 'right' as const } : {}) };
  }

  private listItems(list: PMNode): Content[] {
    const items: Content[] = [];
    list.forEach((item) => {
      const content = this.blocks(item, 18);
      items.push(content.length === 1 && content[0] ? content[0] : { stack: content });
    });
    return items;
  }

  private table(node: PMNode): Content {
    const map = TableMap.get(node);
    // Fixed widths (padding and rules left out): pdfmake then breaks a word longer than its
    // column instead of widening the table past the margin.
    const columnWidth = Math.max(20, (this.width - map.width * 9) / map.width);
    const body: TableCell[][] = [];
    let headerRows = 0;
    let counting = true;
    for (let row = 0; row < map.height; row++) {
      const cells: TableCell[] = [];
      let allHeaders = true;
      for (let col = 0; col < map.width; col++) {
        const offset = map.map[row * map.width + col] ?? 0;
        const cell = node.nodeAt(offset);
        const origin = map.findCell(offset);
        if (!cell || origin.left !== col || origin.top !== row) {
          cells.push({});
          continue;
        }
        const header = cell.type.name === 'tableHeader';
        allHeaders &&= header;
        // The spans as the map laid them out (a rowspan past the last row is cut there).
        const colspan = origin.right - origin.left;
        const rowspan = origin.bottom - origin.top;
        cells.push({
          stack: this.blocks(cell, this.width - columnWidth * colspan),
          ...(header ? { bold: true, fillColor: '#eeeeee' } : {}),
          ...(colspan > 1 ? { colSpan: colspan } : {}),
          ...(rowspan > 1 ? { rowSpan: rowspan } : {}),
        });
      }
      if (counting && allHeaders) headerRows++;
      else counting = false;
      body.push(cells);
    }
    return {
      table: {
        headerRows: Math.min(headerRows, body.length - 1),
        widths: Array(map.width).fill(columnWidth),
        body,
        dontBreakRows: false,
      },
      layout: gridLayout,
      fontSize: 9.5,
      margin: [0, 2, 0, 10],
    };
  }

  private image(node: PMNode): Content[] {
    const alt = String(node.attrs.alt ?? '').trim();
    const image = this.prepared.images.get(String(node.attrs.src ?? ''));
    if (!this.withImages || !image || (image.mime !== 'image/png' && image.mime !== 'image/jpeg')) {
      return [{ text: this.runs(exportMessages.missingImage(alt)), style: 'missingImage' }];
    }
    const key = `image${Object.keys(this.images).length}`;
    this.images[key] = `data:${image.mime};base64,${image.data.toString('base64')}`;
    // 96 px to the inch; never wider than the text, never taller than half a page.
    const scale = Math.min(0.75, this.width / image.width, 360 / image.height);
    return [
      { image: key, width: image.width * scale, height: image.height * scale, alignment: 'center' },
      { text: this.runs(alt || exportMessages.imageWithoutAlt), style: 'caption', alignment: 'center' },
    ];
  }

  private inlines(node: PMNode): ContentText[] {
    const out: ContentText[] = [];
    node.forEach((child) => {
      switch (child.type.name) {
        case 'text':
          out.push(...this.runs(child.text ?? '', this.markStyle(child.marks)));
          break;
        case 'hardBreak':
          out.push({ text: '\n' });
          break;
        case 'footnote': {
          const number = ++this.noteNumber;
          this.pendingNotes.push({ number, text: String(child.attrs.text ?? '') });
          out.push({ text: String(number), sup: true, color: BLUE });
          break;
        }
        case 'docRef': {
          const title = String(child.attrs.title ?? '');
          const id = child.attrs.documentId;
          const url = typeof id === 'string' ? safeHref(this.prepared.input.links(id)) : null;
          out.push(...this.runs(title, url ? { link: url, color: BLUE, decoration: 'underline' } : {}));
          break;
        }
        default:
          out.push(...this.runs(child.textContent));
      }
    });
    return out;
  }

  private markStyle(marks: readonly Mark[]): InlineStyle {
    const style: InlineStyle = {};
    const decorations: Decoration[] = [];
    for (const mark of marks) {
      switch (mark.type.name) {
        case 'bold':
          style.bold = true;
          break;
        case 'italic':
          style.italics = true;
          break;
        case 'underline':
          decorations.push('underline');
          break;
        case 'strike':
          decorations.push('lineThrough');
          break;
        case 'code':
          style.background = '#eeeeee';
          break;
        case 'link': {
          const href = safeHref(mark.attrs.href);
          if (href) {
            style.link = href;
            style.color = BLUE;
            decorations.push('underline');
          }
          break;
        }
      }
    }
    if (decorations.length > 0) style.decoration = [...new Set(decorations)];
    return style;
  }

  /**
   * Text cut into font runs (fallback fonts for Arabic and emoji), each with `style`. A word
   * longer than {@link LONG_WORD} characters gets a zero-width break opportunity every
   * {@link LONG_WORD} characters: pdfmake fits an unbreakable word by trying it again and again
   * (8,000 letters: 2.1 s, 50,000: minutes and gigabytes); so, linear (50,000: under 1 s).
   */
  runs(text: string, style: InlineStyle = {}): ContentText[] {
    return fontRuns(text).map((run) => ({
      ...style,
      text: run.rtl ? run.text : breakLongWords(run.text),
      ...(run.font === TEXT_FONT ? {} : { font: run.font }),
    }));
  }
}

/** Characters of a word between two zero-width break opportunities in the PDF. */
const LONG_WORD = 40;
const LONG_WORD_PATTERN = new RegExp(`[^\\s\u200b]{${LONG_WORD}}(?=[^\\s\u200b])`, 'gu');

/** `text` with U+200B (zero-width space, a line-break opportunity) inside words over {@link LONG_WORD}. */
export function breakLongWords(text: string): string {
  return text.length <= LONG_WORD ? text : text.replace(LONG_WORD_PATTERN, '$&\u200b');
}

function definition(prepared: PreparedDocument, withImages: boolean): TDocumentDefinitions {
  const writer = new PdfWriter(prepared, withImages);
  const body = writer.body();
  const hasSections = prepared.doc.content.content.some((n) => n.type.name === 'section');
  const titlePage: Content[] = [
    { text: prepared.kindLabel, style: 'kind' },
    { text: writer.runs(prepared.title), style: 'title' },
  ];
  if (prepared.draftNotice) titlePage.push({ text: prepared.draftNotice, style: 'draft' });
  if (prepared.publicationNotice) titlePage.push({ text: prepared.publicationNotice, style: 'notice' });
  if (prepared.metadata.length > 0) {
    titlePage.push({
      table: {
        widths: [150, '*'],
        body: prepared.metadata.map((row) => [
          { text: row.label, style: 'metadataLabel' },
          { text: writer.runs(row.value) },
        ]),
      },
      layout: 'lightHorizontalLines',
    });
  }
  titlePage.push({ text: exportMessages.producedBy, fontSize: 8, color: GREY, margin: [0, 40, 0, 0] });
  const contents: Content[] = hasSections
    ? [{ toc: { title: { text: exportMessages.contents, style: 'contentsTitle' } }, pageBreak: 'before' }]
    : [];
  const draft = prepared.draftNotice;
  return {
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 56],
    language: 'fr-FR',
    info: {
      title: prepared.title,
      subject: prepared.kindLabel,
      creator: 'Essaim',
      producer: 'Essaim (pdfmake)',
      keywords: prepared.input.metadata.motsCles.join(', '),
    },
    defaultStyle: { font: TEXT_FONT, fontSize: 10.5, lineHeight: 1.2 },
    styles,
    header: draft
      ? () => ({
          text: draft,
          alignment: 'center',
          color: RED,
          fontSize: 8,
          bold: true,
          margin: [56, 24, 56, 0],
        })
      : undefined,
    footer: (current: number, total: number) =>
      current === 1
        ? null
        : {
            text: exportMessages.page(current, total),
            alignment: 'center',
            fontSize: 8,
            color: GREY,
            margin: [0, 24, 0, 0],
          },
    content: [...titlePage, ...contents, { stack: body, pageBreak: 'before' }],
    images: writer.images,
  };
}

/**
 * The document as a PDF: A4, Marianne embedded (with Noto Sans Arabic and Noto Emoji as
 * fallbacks), a title page with the metadata and the draft or publication notice, a « Sommaire »
 * with page numbers, one bookmark per section, page numbers, the draft mark at the top of every
 * page, footnotes numbered in document order and printed under their section, tables with merged
 * cells and repeated header rows, images (PNG and JPEG; GIF and WebP, which PDF cannot embed as
 * they are, read as their alternative text) captioned with their alternative text. Made by
 * pdfmake on pdfkit, without a browser. Should an image still be refused while the PDF is laid
 * out, the PDF is made again with every image as its alternative text: an image never blocks.
 * Not tagged: pdfmake does not write a structure tree.
 */
export async function documentToPdf(prepared: PreparedDocument): Promise<Buffer> {
  const pdf = printer();
  try {
    return await pdf.createPdf(definition(prepared, true)).getBuffer();
  } catch (error) {
    if (![...prepared.images.values()].some(Boolean)) throw error;
    return pdf.createPdf(definition(prepared, false)).getBuffer();
  }
}
