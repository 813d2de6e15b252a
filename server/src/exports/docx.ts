import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { TableMap } from '@tiptap/pm/tables';
import {
  AlignmentType,
  BorderStyle,
  Document,
  ExternalHyperlink,
  Footer,
  FootnoteReferenceRun,
  Header,
  HeadingLevel,
  ImageRun,
  LevelFormat,
  Packer,
  PageBreak,
  PageNumber,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableOfContents,
  TableRow,
  TextRun,
  WidthType,
  type IParagraphOptions,
  type IRunOptions,
  type ParagraphChild,
} from 'docx';
import { pdfFonts, TEXT_FONT } from './fonts.js';
import { exportMessages } from './messages.js';
import { baseDirection, isRtlChar, safeHref, sectionTitle, type PreparedDocument } from './prepare.js';

const BLUE = '000091';
const RED = 'CE0500';
const GREY = '666666';
/** Width of the text on an A4 page with 2 cm margins, in pixels at 96 per inch (what ImageRun takes). */
const TEXT_WIDTH_PX = 642;
/** The same in twentieths of a point (table column widths). */
const TEXT_WIDTH_TWIPS = 9638;
const CODE_FONT = 'Courier New';

type Block = Paragraph | Table;
type ParagraphProps = Omit<IParagraphOptions, 'children' | 'text'>;

/** Where a block is written: inside a quote, at a list depth (paragraph formatting follows). */
interface Place {
  quote: boolean;
  /** Depth of the list item the block is in (0: not in a list). */
  depth: number;
}

const bulletSymbols = ['•', '◦', '▪'];

/** Walks the document; footnotes become Word footnotes numbered in document order. */
class DocxWriter {
  readonly footnotes: Record<string, { children: Paragraph[] }> = {};
  private noteNumber = 0;
  readonly orderedLists: { reference: string; start: number }[] = [];

  constructor(private readonly prepared: PreparedDocument) {}

  body(): Block[] {
    const out: Block[] = [];
    const top: Place = { quote: false, depth: 0 };
    this.prepared.doc.forEach((child) => {
      if (child.type.name !== 'section') {
        out.push(...this.block(child, top));
        return;
      }
      out.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: this.runs(sectionTitle(child)) }));
      child.forEach((block) => {
        if (block.type.name !== 'sectionTitle') out.push(...this.block(block, top));
      });
    });
    return out;
  }

  private blocks(node: PMNode, place: Place): Block[] {
    const out: Block[] = [];
    node.forEach((child) => out.push(...this.block(child, place)));
    return out;
  }

  private paragraphProps(place: Place, node?: PMNode): ParagraphProps {
    const rtl = node ? baseDirection(node.textContent) === 'rtl' : false;
    return {
      ...(place.quote
        ? {
            border: { left: { style: BorderStyle.SINGLE, size: 18, color: BLUE, space: 8 } },
            indent: { left: 400 + place.depth * 720 },
          }
        : place.depth > 0
          ? { indent: { left: place.depth * 720 } }
          : {}),
      ...(rtl ? { bidirectional: true, alignment: AlignmentType.RIGHT } : {}),
    };
  }

  private block(node: PMNode, place: Place): Block[] {
    switch (node.type.name) {
      case 'paragraph':
        return [new Paragraph({ ...this.paragraphProps(place, node), children: this.inlines(node) })];
      case 'heading':
        return [
          new Paragraph({
            ...this.paragraphProps(place, node),
            heading: node.attrs.level === 4 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_2,
            children: this.inlines(node),
          }),
        ];
      case 'bulletList':
      case 'orderedList':
        return this.list(node, place);
      case 'blockquote':
        return this.blocks(node, { ...place, quote: true });
      case 'codeBlock': {
        const lines = node.textContent.split('\n');
        return [
          new Paragraph({
            ...this.paragraphProps(place),
            shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'F2F2F2' },
            children: lines.map(
              (line, i) =>
                new TextRun({ text: line, font: CODE_FONT, size: 18, ...(i > 0 ? { break: 1 } : {}) }),
            ),
          }),
        ];
      }
      case 'horizontalRule':
        return [
          new Paragraph({
            border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '929292', space: 1 } },
          }),
        ];
      case 'table':
        return [this.table(node)];
      case 'image':
        return [this.image(node, place)];
      default:
        return node.isTextblock
          ? [new Paragraph({ ...this.paragraphProps(place, node), children: this.inlines(node) })]
          : this.blocks(node, place);
    }
  }

  private list(list: PMNode, place: Place): Block[] {
    const ordered = list.type.name === 'orderedList';
    let reference = 'bullets';
    if (ordered) {
      reference = `ordered-${this.orderedLists.length + 1}`;
      this.orderedLists.push({ reference, start: Math.max(1, Number(list.attrs.start ?? 1) || 1) });
    }
    const level = Math.min(place.depth, 8);
    const inner: Place = { ...place, depth: place.depth + 1 };
    const out: Block[] = [];
    list.forEach((item) => {
      let first = true;
      item.forEach((child) => {
        if (first && child.isTextblock) {
          out.push(
            new Paragraph({
              ...this.paragraphProps(place, child),
              numbering: { reference, level },
              children: this.inlines(child),
            }),
          );
        } else {
          out.push(...this.block(child, inner));
        }
        first = false;
      });
    });
    return out;
  }

  private table(node: PMNode): Table {
    const map = TableMap.get(node);
    const rows: TableRow[] = [];
    let headerRows = true;
    node.forEach((row) => {
      const cells: TableCell[] = [];
      let allHeaders = true;
      row.forEach((cell) => {
        const header = cell.type.name === 'tableHeader';
        allHeaders &&= header;
        const blocks = this.blocks(cell, { quote: false, depth: 0 });
        cells.push(
          new TableCell({
            children: blocks.length > 0 ? blocks : [new Paragraph({})],
            columnSpan: Number(cell.attrs.colspan ?? 1),
            rowSpan: Number(cell.attrs.rowspan ?? 1),
            ...(header ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' } } : {}),
          }),
        );
      });
      headerRows &&= allHeaders;
      rows.push(new TableRow({ children: cells, tableHeader: headerRows }));
    });
    const column = Math.floor(TEXT_WIDTH_TWIPS / Math.max(1, map.width));
    return new Table({
      rows,
      width: { size: 100, type: WidthType.PERCENTAGE },
      columnWidths: Array.from({ length: map.width }, () => column),
    });
  }

  private image(node: PMNode, place: Place): Paragraph {
    const alt = String(node.attrs.alt ?? '').trim();
    const image = this.prepared.images.get(String(node.attrs.src ?? ''));
    const type = image
      ? ({ png: 'png', jpg: 'jpg', gif: 'gif', webp: null } as const)[image.extension]
      : null;
    if (!image || !type) {
      return new Paragraph({
        ...this.paragraphProps(place),
        children: [new TextRun({ text: exportMessages.missingImage(alt), italics: true, color: GREY })],
      });
    }
    const scale = Math.min(1, TEXT_WIDTH_PX / image.width, 480 / image.height);
    return new Paragraph({
      ...this.paragraphProps(place),
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type,
          data: image.data,
          transformation: {
            width: Math.round(image.width * scale),
            height: Math.round(image.height * scale),
          },
          altText: { name: alt || exportMessages.imageWithoutAlt, description: alt, title: alt },
        }),
      ],
    });
  }

  private inlines(node: PMNode): ParagraphChild[] {
    const out: ParagraphChild[] = [];
    node.forEach((child) => {
      switch (child.type.name) {
        case 'text': {
          const link = child.marks.find((m) => m.type.name === 'link');
          const runs = this.runs(child.text ?? '', markOptions(child.marks));
          const href = link ? safeHref(link.attrs.href) : null;
          if (href) out.push(new ExternalHyperlink({ link: href, children: runs }));
          else out.push(...runs);
          break;
        }
        case 'hardBreak':
          out.push(new TextRun({ break: 1 }));
          break;
        case 'footnote': {
          const number = ++this.noteNumber;
          this.footnotes[String(number)] = {
            children: [new Paragraph({ children: this.runs(String(child.attrs.text ?? '')) })],
          };
          out.push(new FootnoteReferenceRun(number));
          break;
        }
        case 'docRef': {
          const title = String(child.attrs.title ?? '');
          const id = child.attrs.documentId;
          const url = typeof id === 'string' ? safeHref(this.prepared.input.links(id)) : null;
          if (url)
            out.push(
              new ExternalHyperlink({ link: url, children: this.runs(title, { style: 'Hyperlink' }) }),
            );
          else out.push(...this.runs(title));
          break;
        }
        default:
          out.push(...this.runs(child.textContent));
      }
    });
    return out;
  }

  /** A run, marked right to left when it holds Hebrew or Arabic (Word then orders it). */
  runs(text: string, options: IRunOptions = {}): TextRun[] {
    const rtl = [...text].some(isRtlChar);
    return [new TextRun({ ...options, text, ...(rtl ? { rightToLeft: true } : {}) })];
  }
}

function markOptions(marks: readonly Mark[]): IRunOptions {
  let options: IRunOptions = {};
  for (const mark of marks) {
    switch (mark.type.name) {
      case 'bold':
        options = { ...options, bold: true };
        break;
      case 'italic':
        options = { ...options, italics: true };
        break;
      case 'underline':
        options = { ...options, underline: {} };
        break;
      case 'strike':
        options = { ...options, strike: true };
        break;
      case 'code':
        options = {
          ...options,
          font: CODE_FONT,
          shading: { type: ShadingType.CLEAR, color: 'auto', fill: 'EEEEEE' },
        };
        break;
      case 'link':
        options = { ...options, style: 'Hyperlink' };
        break;
    }
  }
  return options;
}

const listLevels = (ordered: boolean, start: number) =>
  Array.from({ length: 9 }, (_, level) => ({
    level,
    format: ordered ? LevelFormat.DECIMAL : LevelFormat.BULLET,
    text: ordered ? `%${level + 1}.` : (bulletSymbols[level % 3] ?? '•'),
    start: level === 0 ? start : 1,
    alignment: AlignmentType.LEFT,
    style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
  }));

/**
 * The document as Word (DOCX, `docx` package): Word's own heading styles (Titre 1 for sections,
 * Titre 2 and 3 for the headings inside them, so Word's navigation pane shows the outline), a
 * title page with the metadata table, a table of contents, bulleted and numbered lists (nested,
 * numbered lists keep their start), tables with their columns, header rows and merged cells,
 * images with their alternative text (WebP, which Word documents cannot hold portably, reads as
 * its alternative text), Word footnotes, hyperlinks, page numbers in the footer and, for a
 * draft, the draft mark in the header of every page. Marianne is embedded.
 */
export async function documentToDocx(prepared: PreparedDocument): Promise<Buffer> {
  const writer = new DocxWriter(prepared);
  const body = writer.body();
  const marianne = pdfFonts().find((f) => f.name === TEXT_FONT);
  const hasSections = prepared.doc.content.content.some((n) => n.type.name === 'section');

  const titlePage: Block[] = [
    new Paragraph({ children: [new TextRun({ text: prepared.kindLabel, color: BLUE, bold: true })] }),
    new Paragraph({ heading: HeadingLevel.TITLE, children: writer.runs(prepared.title) }),
  ];
  if (prepared.draftNotice) {
    titlePage.push(
      new Paragraph({ children: [new TextRun({ text: prepared.draftNotice, bold: true, color: RED })] }),
    );
  }
  if (prepared.publicationNotice) titlePage.push(new Paragraph({ text: prepared.publicationNotice }));
  if (prepared.metadata.length > 0) {
    titlePage.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        columnWidths: [3000, TEXT_WIDTH_TWIPS - 3000],
        rows: prepared.metadata.map(
          (row) =>
            new TableRow({
              children: [
                new TableCell({
                  children: [new Paragraph({ children: [new TextRun({ text: row.label, bold: true })] })],
                }),
                new TableCell({ children: [new Paragraph({ children: writer.runs(row.value) })] }),
              ],
            }),
        ),
      }),
    );
  }
  const contents: Block[] = hasSections
    ? [
        new Paragraph({ children: [new PageBreak()] }),
        new Paragraph({ heading: HeadingLevel.TITLE, text: exportMessages.contents }),
      ]
    : [];
  const toc = hasSections
    ? [new TableOfContents(exportMessages.contents, { hyperlink: true, headingStyleRange: '1-1' })]
    : [];

  const document = new Document({
    title: prepared.title,
    subject: prepared.kindLabel,
    creator: 'Essaim',
    keywords: prepared.input.metadata.motsCles.join(', '),
    description: prepared.draftNotice ?? prepared.publicationNotice ?? '',
    features: { updateFields: hasSections },
    ...(marianne
      ? {
          fonts: [
            {
              name: TEXT_FONT,
              data: marianne.normal,
              bold: marianne.bold,
              italic: marianne.italics,
              boldItalic: marianne.bolditalics,
              characterSet: '00',
            },
          ],
        }
      : {}),
    styles: {
      default: {
        document: { run: { font: TEXT_FONT, size: 21 } },
        heading1: {
          run: { font: TEXT_FONT, size: 32, bold: true, color: BLUE },
          paragraph: { spacing: { before: 360, after: 160 } },
        },
        heading2: {
          run: { font: TEXT_FONT, size: 26, bold: true },
          paragraph: { spacing: { before: 240, after: 80 } },
        },
        heading3: {
          run: { font: TEXT_FONT, size: 23, bold: true },
          paragraph: { spacing: { before: 200, after: 60 } },
        },
        title: { run: { font: TEXT_FONT, size: 48, bold: true }, paragraph: { spacing: { after: 240 } } },
      },
    },
    numbering: {
      config: [
        { reference: 'bullets', levels: listLevels(false, 1) },
        ...writer.orderedLists.map((list) => ({
          reference: list.reference,
          levels: listLevels(true, list.start),
        })),
      ],
    },
    footnotes: writer.footnotes,
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: { top: 1134, bottom: 1134, left: 1134, right: 1134 },
          },
        },
        headers: prepared.draftNotice
          ? {
              default: new Header({
                children: [
                  new Paragraph({
                    alignment: AlignmentType.CENTER,
                    children: [new TextRun({ text: prepared.draftNotice, bold: true, color: RED, size: 16 })],
                  }),
                ],
              }),
            }
          : {},
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({
                    size: 16,
                    color: GREY,
                    children: ['Page ', PageNumber.CURRENT, ' sur ', PageNumber.TOTAL_PAGES],
                  }),
                ],
              }),
            ],
          }),
        },
        children: [
          ...titlePage,
          ...contents,
          ...toc,
          ...(hasSections ? [new Paragraph({ children: [new PageBreak()] })] : []),
          ...body,
        ],
      },
    ],
  });
  return Packer.toBuffer(document);
}
