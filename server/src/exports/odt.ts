import type { Mark, Node as PMNode } from '@tiptap/pm/model';
import { TableMap } from '@tiptap/pm/tables';
import { zipSync, type Zippable } from 'fflate';
import { exportMessages } from './messages.js';
import { baseDirection, safeHref, sectionTitle, type PreparedDocument } from './prepare.js';
import { TEXT_FONT } from './fonts.js';

/** Text made safe in XML text and attributes; characters XML 1.0 forbids are dropped. */
export const xml = (text: string): string =>
  text
    // eslint-disable-next-line no-control-regex -- removing the control characters XML 1.0 forbids
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
    );

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
  'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"',
  'xmlns:loext="urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"',
].join(' ');

/** Span styles for each combination of marks, named by the marks they carry (`T-bold-italic`). */
const markOrder = ['bold', 'italic', 'underline', 'strike', 'code'] as const;
type SpanMark = (typeof markOrder)[number];

function spanStyle(marks: readonly SpanMark[]): string {
  const props: string[] = [];
  if (marks.includes('bold')) props.push('fo:font-weight="bold"');
  if (marks.includes('italic')) props.push('fo:font-style="italic"');
  if (marks.includes('underline'))
    props.push(
      'style:text-underline-style="solid" style:text-underline-width="auto" style:text-underline-color="font-color"',
    );
  if (marks.includes('strike')) props.push('style:text-line-through-style="solid"');
  if (marks.includes('code')) props.push('style:font-name="Courier New" fo:background-color="#eeeeee"');
  return `<style:style style:name="T-${marks.join('-')}" style:family="text"><style:text-properties ${props.join(' ')}/></style:style>`;
}

/** Walks the document into ODF elements; notes become `text:note` numbered in document order. */
class OdtWriter {
  private noteNumber = 0;
  readonly spanStyles = new Set<string>();
  readonly pictures: { path: string; data: Buffer; mime: string }[] = [];
  private imageCount = 0;
  private tableCount = 0;
  readonly tableStyles: string[] = [];
  /** Start number of each ordered list, in document order (list style `L-ordered<n>`). */
  readonly orderedStarts: number[] = [];

  constructor(private readonly prepared: PreparedDocument) {}

  body(): string {
    let out = '';
    this.prepared.doc.forEach((child) => {
      if (child.type.name !== 'section') {
        out += this.block(child, 'Text_20_body');
        return;
      }
      out += `<text:h text:style-name="Heading_20_1" text:outline-level="1">${this.text(sectionTitle(child))}</text:h>`;
      child.forEach((block) => {
        if (block.type.name !== 'sectionTitle') out += this.block(block, 'Text_20_body');
      });
    });
    return out;
  }

  private blocks(node: PMNode, paragraphStyle: string): string {
    let out = '';
    node.forEach((child) => {
      out += this.block(child, paragraphStyle);
    });
    return out;
  }

  private block(node: PMNode, paragraphStyle: string): string {
    switch (node.type.name) {
      case 'paragraph': {
        const style = baseDirection(node.textContent) === 'rtl' ? 'P-rtl' : paragraphStyle;
        return `<text:p text:style-name="${style}">${this.inlines(node)}</text:p>`;
      }
      case 'heading': {
        const level = node.attrs.level === 4 ? 3 : 2;
        return `<text:h text:style-name="Heading_20_${level}" text:outline-level="${level}">${this.inlines(node)}</text:h>`;
      }
      case 'bulletList':
      case 'orderedList':
        return this.list(node);
      case 'blockquote':
        return this.blocks(node, 'Quotations');
      case 'codeBlock': {
        const lines = node.textContent.split('\n').map((line) => this.preformatted(line));
        return `<text:p text:style-name="Preformatted_20_Text">${lines.join('<text:line-break/>')}</text:p>`;
      }
      case 'horizontalRule':
        return '<text:p text:style-name="Horizontal_20_Line"/>';
      case 'table':
        return this.table(node);
      case 'image':
        return this.image(node, paragraphStyle);
      default:
        return node.isTextblock
          ? `<text:p text:style-name="${paragraphStyle}">${this.inlines(node)}</text:p>`
          : this.blocks(node, paragraphStyle);
    }
  }

  private list(list: PMNode): string {
    let style = 'L-bullets';
    if (list.type.name === 'orderedList') {
      style = `L-ordered${this.orderedStarts.length + 1}`;
      this.orderedStarts.push(Math.max(1, Number(list.attrs.start ?? 1) || 1));
    }
    let items = '';
    list.forEach((item) => {
      items += `<text:list-item>${this.blocks(item, 'List_20_Contents')}</text:list-item>`;
    });
    return `<text:list text:style-name="${style}">${items}</text:list>`;
  }

  /**
   * A table on its full grid: a merged cell carries its spans and the places it covers are
   * `table:covered-table-cell`, as ODF requires (§9.1.4). Header cells are ordinary rows in the
   * « Table Heading » style: `table:table-header-rows` would repeat them on each page in
   * LibreOffice, but pandoc's reader drops those rows entirely.
   */
  private table(node: PMNode): string {
    const map = TableMap.get(node);
    const name = `Tableau${++this.tableCount}`;
    this.tableStyles.push(
      `<style:style style:name="${name}" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>`,
    );
    let rows = '';
    for (let row = 0; row < map.height; row++) {
      let cells = '';
      for (let col = 0; col < map.width; col++) {
        const offset = map.map[row * map.width + col] ?? 0;
        const cell = node.nodeAt(offset);
        const origin = map.findCell(offset);
        if (!cell || origin.left !== col || origin.top !== row) {
          cells += '<table:covered-table-cell/>';
          continue;
        }
        const isHeader = cell.type.name === 'tableHeader';
        const colspan = Number(cell.attrs.colspan ?? 1);
        const rowspan = Number(cell.attrs.rowspan ?? 1);
        const spans =
          (colspan > 1 ? ` table:number-columns-spanned="${colspan}"` : '') +
          (rowspan > 1 ? ` table:number-rows-spanned="${rowspan}"` : '');
        const content = this.blocks(cell, isHeader ? 'Table_20_Heading' : 'Table_20_Contents');
        cells += `<table:table-cell table:style-name="Cellule" office:value-type="string"${spans}>${content || '<text:p/>'}</table:table-cell>`;
      }
      rows += `<table:table-row>${cells}</table:table-row>`;
    }
    return (
      `<table:table table:name="${name}" table:style-name="${name}">` +
      `<table:table-column table:number-columns-repeated="${map.width}"/>${rows}</table:table>`
    );
  }

  private image(node: PMNode, paragraphStyle: string): string {
    const alt = String(node.attrs.alt ?? '').trim();
    const image = this.prepared.images.get(String(node.attrs.src ?? ''));
    if (!image) {
      this.spanStyles.add('italic');
      return `<text:p text:style-name="${paragraphStyle}"><text:span text:style-name="T-italic">${this.text(exportMessages.missingImage(alt))}</text:span></text:p>`;
    }
    const n = ++this.imageCount;
    const path = `Pictures/image${n}.${image.extension}`;
    this.pictures.push({ path, data: image.data, mime: image.mime });
    // 96 pixels to the inch, at most the text width (17 cm) and 12 cm high.
    const scale = Math.min(2.54 / 96, 17 / image.width, 12 / image.height);
    const width = (image.width * scale).toFixed(3);
    const height = (image.height * scale).toFixed(3);
    return (
      `<text:p text:style-name="Illustration">` +
      `<draw:frame draw:name="Image${n}" text:anchor-type="as-char" svg:width="${width}cm" svg:height="${height}cm" draw:z-index="0">` +
      `<draw:image xlink:href="${path}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad" draw:mime-type="${image.mime}"/>` +
      `<svg:title>${xml(alt)}</svg:title><svg:desc>${xml(alt)}</svg:desc>` +
      `</draw:frame></text:p>` +
      `<text:p text:style-name="Caption">${this.text(alt || exportMessages.imageWithoutAlt)}</text:p>`
    );
  }

  private inlines(node: PMNode): string {
    let out = '';
    node.forEach((child) => {
      switch (child.type.name) {
        case 'text':
          out += this.marked(child.text ?? '', child.marks);
          break;
        case 'hardBreak':
          out += '<text:line-break/>';
          break;
        case 'footnote': {
          const n = ++this.noteNumber;
          out +=
            `<text:note text:id="note${n}" text:note-class="footnote"><text:note-citation>${n}</text:note-citation>` +
            `<text:note-body><text:p text:style-name="Footnote">${this.text(String(child.attrs.text ?? ''))}</text:p></text:note-body></text:note>`;
          break;
        }
        case 'docRef': {
          const title = this.text(String(child.attrs.title ?? ''));
          const id = child.attrs.documentId;
          const url = typeof id === 'string' ? safeHref(this.prepared.input.links(id)) : null;
          out += url ? `<text:a xlink:type="simple" xlink:href="${xml(url)}">${title}</text:a>` : title;
          break;
        }
        default:
          out += this.text(child.textContent);
      }
    });
    return out;
  }

  private marked(text: string, marks: readonly Mark[]): string {
    const names = markOrder.filter((name) => marks.some((m) => m.type.name === name));
    let out = this.text(text);
    if (names.length > 0) {
      this.spanStyles.add(names.join('-'));
      out = `<text:span text:style-name="T-${names.join('-')}">${out}</text:span>`;
    }
    const link = marks.find((m) => m.type.name === 'link');
    const href = link ? safeHref(link.attrs.href) : null;
    if (href) out = `<text:a xlink:type="simple" xlink:href="${xml(href)}">${out}</text:a>`;
    return out;
  }

  /** Text with runs of spaces and tabs kept (ODF collapses white space, §6.1.2). */
  text(value: string): string {
    return xml(value)
      .replace(/\t/g, '<text:tab/>')
      .replace(/ {2,}/g, (spaces) => ` <text:s text:c="${spaces.length - 1}"/>`)
      .replace(/\n/g, '<text:line-break/>');
  }

  private preformatted(line: string): string {
    return this.text(line).replace(/^ /, '<text:s/>');
  }
}

const listStyles = (orderedStarts: readonly number[]): string => {
  const levels = Array.from({ length: 10 }, (_, i) => i + 1);
  const indent = (level: number) =>
    `<style:list-level-properties text:list-level-position-and-space-mode="label-alignment"><style:list-level-label-alignment text:label-followed-by="listtab" fo:text-indent="-0.5cm" fo:margin-left="${(level * 0.75).toFixed(2)}cm"/></style:list-level-properties>`;
  const bullets = ['•', '◦', '▪'];
  return (
    `<text:list-style style:name="L-bullets">${levels
      .map(
        (l) =>
          `<text:list-level-style-bullet text:level="${l}" text:bullet-char="${bullets[(l - 1) % 3] ?? '•'}">${indent(l)}</text:list-level-style-bullet>`,
      )
      .join('')}</text:list-style>` +
    orderedStarts
      .map(
        (start, i) =>
          `<text:list-style style:name="L-ordered${i + 1}">${levels
            .map(
              (l) =>
                `<text:list-level-style-number text:level="${l}" style:num-format="1" style:num-suffix="." text:start-value="${l === 1 ? start : 1}">${indent(l)}</text:list-level-style-number>`,
            )
            .join('')}</text:list-style>`,
      )
      .join('')
  );
};

function stylesXml(prepared: PreparedDocument): string {
  const paragraph = (
    name: string,
    display: string,
    props: string,
    text = '',
    parent = 'Standard',
    extra = '',
  ) =>
    `<style:style style:name="${name}" style:display-name="${display}" style:family="paragraph" style:parent-style-name="${parent}"${extra}>` +
    `<style:paragraph-properties ${props}/>${text ? `<style:text-properties ${text}/>` : ''}</style:style>`;
  const header = prepared.draftNotice
    ? `<style:header><text:p text:style-name="Header">${xml(prepared.draftNotice)}</text:p></style:header>`
    : '';
  return (
    `<?xml version="1.0" encoding="UTF-8"?><office:document-styles ${NS} office:version="1.3">` +
    `<office:font-face-decls><style:font-face style:name="${TEXT_FONT}" svg:font-family="${TEXT_FONT}" style:font-family-generic="swiss"/>` +
    `<style:font-face style:name="Courier New" svg:font-family="'Courier New'" style:font-family-generic="modern" style:font-pitch="fixed"/></office:font-face-decls>` +
    `<office:styles>` +
    `<style:default-style style:family="paragraph"><style:text-properties style:font-name="${TEXT_FONT}" fo:font-size="10.5pt" fo:language="fr" fo:country="FR"/></style:default-style>` +
    `<style:style style:name="Standard" style:family="paragraph" style:class="text"/>` +
    paragraph(
      'Text_20_body',
      'Text body',
      'fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="120%"',
    ) +
    paragraph('Title', 'Title', 'fo:margin-bottom="0.4cm"', 'fo:font-size="24pt" fo:font-weight="bold"') +
    paragraph(
      'Subtitle',
      'Subtitle',
      'fo:margin-bottom="0.2cm"',
      'fo:color="#000091" fo:font-weight="bold"',
    ) +
    paragraph('Draft', 'Draft', 'fo:margin-bottom="0.4cm"', 'fo:color="#ce0500" fo:font-weight="bold"') +
    paragraph(
      'Heading',
      'Heading',
      'fo:margin-top="0.42cm" fo:margin-bottom="0.21cm" fo:keep-with-next="always"',
      'fo:font-weight="bold"',
      'Standard',
      ' style:next-style-name="Text_20_body"',
    ) +
    paragraph(
      'Heading_20_1',
      'Heading 1',
      '',
      'fo:font-size="16pt" fo:color="#000091"',
      'Heading',
      ' style:default-outline-level="1" style:class="text"',
    ) +
    paragraph(
      'Heading_20_2',
      'Heading 2',
      '',
      'fo:font-size="13.5pt"',
      'Heading',
      ' style:default-outline-level="2" style:class="text"',
    ) +
    paragraph(
      'Heading_20_3',
      'Heading 3',
      '',
      'fo:font-size="11.5pt"',
      'Heading',
      ' style:default-outline-level="3" style:class="text"',
    ) +
    paragraph(
      'Quotations',
      'Quotations',
      'fo:margin-left="0.6cm" fo:padding-left="0.3cm" fo:border-left="0.06cm solid #000091" fo:margin-bottom="0.2cm"',
      'fo:font-style="italic"',
    ) +
    paragraph(
      'Preformatted_20_Text',
      'Preformatted Text',
      'fo:background-color="#f2f2f2" fo:padding="0.2cm" fo:margin-bottom="0.2cm"',
      'style:font-name="Courier New" fo:font-size="9pt"',
    ) +
    paragraph(
      'Horizontal_20_Line',
      'Horizontal Line',
      'fo:border-bottom="0.02cm solid #929292" fo:margin-bottom="0.3cm"',
    ) +
    paragraph('List_20_Contents', 'List Contents', 'fo:margin-bottom="0.1cm"') +
    paragraph('Table_20_Contents', 'Table Contents', '') +
    paragraph('Table_20_Heading', 'Table Heading', '', 'fo:font-weight="bold"', 'Table_20_Contents') +
    paragraph('Illustration', 'Illustration', 'fo:text-align="center" fo:margin-bottom="0.2cm"') +
    paragraph(
      'Caption',
      'Caption',
      'fo:text-align="center" fo:margin-bottom="0.3cm"',
      'fo:font-size="8.5pt" fo:font-style="italic" fo:color="#666666"',
    ) +
    paragraph(
      'Footnote',
      'Footnote',
      'fo:margin-left="0.5cm" fo:text-indent="-0.5cm"',
      'fo:font-size="9pt"',
    ) +
    paragraph(
      'Header',
      'Header',
      'fo:text-align="center"',
      'fo:font-size="8pt" fo:color="#ce0500" fo:font-weight="bold"',
    ) +
    paragraph('Footer', 'Footer', 'fo:text-align="center"', 'fo:font-size="8pt" fo:color="#666666"') +
    paragraph(
      'Contents_20_Heading',
      'Contents Heading',
      '',
      'fo:font-size="16pt" fo:font-weight="bold"',
      'Heading',
    ) +
    paragraph('Contents_20_1', 'Contents 1', 'fo:margin-bottom="0.1cm"') +
    `<text:notes-configuration text:note-class="footnote" style:num-format="1" text:start-value="0" text:footnotes-position="page" text:start-numbering-at="document"/>` +
    `</office:styles>` +
    `<office:automatic-styles><style:page-layout style:name="A4"><style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>` +
    `<style:header-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-bottom="0.3cm"/></style:header-style>` +
    `<style:footer-style><style:header-footer-properties fo:min-height="0.6cm" fo:margin-top="0.3cm"/></style:footer-style></style:page-layout></office:automatic-styles>` +
    `<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="A4">${header}` +
    `<style:footer><text:p text:style-name="Footer">Page <text:page-number text:select-page="current"/> sur <text:page-count/></text:p></style:footer>` +
    `</style:master-page></office:master-styles></office:document-styles>`
  );
}

/**
 * The document as an OpenDocument text (ODT 1.3) that LibreOffice opens, written by hand and
 * zipped with fflate: `mimetype` first and stored, `META-INF/manifest.xml`, `content.xml`,
 * `styles.xml`, `meta.xml`, images in `Pictures/`. Section titles and headings are `text:h` with
 * outline levels 1 to 3, lists `text:list` (nested, numbered lists keep their start), tables on
 * their full grid with merged and covered cells, footnotes `text:note`, images `draw:frame`
 * with their alternative text (`svg:title`, `svg:desc`) also written as their caption. A draft carries its mark in the page
 * header and on the title page; a table of contents lists the sections.
 */
export async function documentToOdt(prepared: PreparedDocument): Promise<Buffer> {
  const writer = new OdtWriter(prepared);
  const body = writer.body();
  const sections: string[] = [];
  prepared.doc.forEach((child) => {
    if (child.type.name === 'section') sections.push(sectionTitle(child));
  });
  let title =
    `<text:p text:style-name="Subtitle">${xml(prepared.kindLabel)}</text:p>` +
    `<text:p text:style-name="Title">${writer.text(prepared.title)}</text:p>`;
  if (prepared.draftNotice) title += `<text:p text:style-name="Draft">${xml(prepared.draftNotice)}</text:p>`;
  if (prepared.publicationNotice)
    title += `<text:p text:style-name="Text_20_body">${xml(prepared.publicationNotice)}</text:p>`;
  if (prepared.metadata.length > 0) {
    title +=
      `<table:table table:name="Informations" table:style-name="Tableau0"><table:table-column table:number-columns-repeated="2"/>` +
      prepared.metadata
        .map(
          (row) =>
            `<table:table-row><table:table-cell table:style-name="Cellule" office:value-type="string"><text:p text:style-name="Table_20_Heading">${xml(row.label)}</text:p></table:table-cell>` +
            `<table:table-cell table:style-name="Cellule" office:value-type="string"><text:p text:style-name="Table_20_Contents">${writer.text(row.value)}</text:p></table:table-cell></table:table-row>`,
        )
        .join('') +
      `</table:table>`;
  }
  const toc =
    sections.length === 0
      ? ''
      : `<text:table-of-content text:name="Sommaire" text:protected="false"><text:table-of-content-source text:outline-level="1">` +
        `<text:index-title-template text:style-name="Contents_20_Heading">${exportMessages.contents}</text:index-title-template>` +
        `<text:table-of-content-entry-template text:outline-level="1" text:style-name="Contents_20_1"><text:index-entry-text/></text:table-of-content-entry-template>` +
        `</text:table-of-content-source><text:index-body><text:index-title text:name="Sommaire_titre"><text:p text:style-name="Contents_20_Heading">${exportMessages.contents}</text:p></text:index-title>` +
        sections.map((s) => `<text:p text:style-name="Contents_20_1">${xml(s)}</text:p>`).join('') +
        `</text:index-body></text:table-of-content>`;
  const automatic =
    `<style:style style:name="P-rtl" style:family="paragraph" style:parent-style-name="Text_20_body"><style:paragraph-properties fo:text-align="end" style:writing-mode="rl-tb"/></style:style>` +
    `<style:style style:name="P-break" style:family="paragraph" style:parent-style-name="Standard"><style:paragraph-properties fo:break-before="page"/></style:style>` +
    `<style:style style:name="Tableau0" style:family="table"><style:table-properties style:width="17cm" table:align="margins"/></style:style>` +
    `<style:style style:name="Cellule" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.03cm solid #929292"/></style:style>` +
    writer.tableStyles.join('') +
    [...writer.spanStyles].map((names) => spanStyle(names.split('-') as SpanMark[])).join('') +
    listStyles(writer.orderedStarts);
  const content =
    `<?xml version="1.0" encoding="UTF-8"?><office:document-content ${NS} office:version="1.3">` +
    `<office:font-face-decls><style:font-face style:name="${TEXT_FONT}" svg:font-family="${TEXT_FONT}" style:font-family-generic="swiss"/>` +
    `<style:font-face style:name="Courier New" svg:font-family="'Courier New'" style:font-family-generic="modern" style:font-pitch="fixed"/></office:font-face-decls>` +
    `<office:automatic-styles>${automatic}</office:automatic-styles>` +
    `<office:body><office:text>${title}` +
    (toc ? `<text:p text:style-name="P-break"/>${toc}` : '') +
    `<text:p text:style-name="P-break"/>${body}</office:text></office:body></office:document-content>`;
  const meta =
    `<?xml version="1.0" encoding="UTF-8"?><office:document-meta ${NS} office:version="1.3"><office:meta>` +
    `<dc:title>${xml(prepared.title)}</dc:title><dc:subject>${xml(prepared.kindLabel)}</dc:subject><dc:language>fr-FR</dc:language>` +
    `<meta:generator>Essaim</meta:generator>` +
    prepared.input.metadata.motsCles.map((k) => `<meta:keyword>${xml(k)}</meta:keyword>`).join('') +
    `</office:meta></office:document-meta>`;
  const manifest =
    `<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>` +
    `<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
    `<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>` +
    `<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>` +
    writer.pictures
      .map((p) => `<manifest:file-entry manifest:full-path="${p.path}" manifest:media-type="${p.mime}"/>`)
      .join('') +
    `</manifest:manifest>`;
  const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
  // Insertion order is the zip order: `mimetype` must be the first entry, stored uncompressed (ODF 1.3 §3.3).
  const files: Zippable = {
    mimetype: [utf8('application/vnd.oasis.opendocument.text'), { level: 0 }],
    'META-INF/manifest.xml': utf8(manifest),
    'content.xml': utf8(content),
    'styles.xml': utf8(stylesXml(prepared)),
    'meta.xml': utf8(meta),
  };
  for (const picture of writer.pictures) files[picture.path] = [new Uint8Array(picture.data), { level: 0 }];
  return Buffer.from(zipSync(files, { level: 6 }));
}
