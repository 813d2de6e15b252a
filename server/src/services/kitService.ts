import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { categoryLabels, can, forbidden, notFound, structureTypeLabels, type Actor } from '@essaim/domain';
import { stringify } from 'csv-stringify/sync';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { territoireLabel } from '../reference/territoires.js';
import type { EspaceRepository } from '../storage/espaceRepository.js';
import type { PublicationRecord, PublicationRepository } from '../storage/publicationRepository.js';
import type { ThemeRepository } from '../storage/themeRepository.js';
import type { ExportService } from './exportService.js';
import { escapeHtml } from './publishedHtml.js';

/** The formats of each fiche in the kit (issue 14). */
const KIT_FORMATS = ['pdf', 'docx', 'md'] as const;

/** A kit ready to send: its file on disk (cached) and the name to offer. */
export interface Kit {
  path: string;
  fileName: string;
  size: number;
}

/**
 * The « kit d'essaimage » (issue 14): one zip of the published practices of an espace (or of one
 * theme), each fiche in PDF, DOCX and Markdown, the synthesis, an `index.html` that works offline
 * and a `pratiques.csv` of their metadata (UTF-8 with BOM, `;`-separated, for spreadsheets in
 * French). The zip is written as a stream, one fiche after another (memory stays flat), into a
 * cache file named by the set of publications it holds: a second request for the same set is a
 * file read; a publication or an unpublication makes a new set. Concurrent requests for the same
 * set share one build.
 */
export class KitService {
  private readonly building = new Map<string, Promise<Kit>>();

  constructor(
    private readonly publications: Pick<PublicationRepository, 'listVisible'>,
    private readonly espaces: Pick<EspaceRepository, 'findById'>,
    private readonly themes: Pick<ThemeRepository, 'list'>,
    private readonly exports: Pick<ExportService, 'publication'>,
    private readonly cacheDir: string,
  ) {}

  /**
   * The kit of the visible publications of an espace (or of every espace when `espaceId` is
   * null: the portal's), optionally of one theme, for anyone (they are public).
   * @throws DomainError `not_found` (espace, or nothing published), `forbidden`.
   */
  async kit(actor: Actor, espaceId: string | null, theme?: string): Promise<Kit> {
    const espace = espaceId === null ? null : this.espaces.findById(espaceId);
    if (espaceId !== null && !espace) throw notFound('Cet espace de travail n’existe pas.');
    if (!can(actor, 'portal.read', { type: 'instance' })) throw forbidden('Portail fermé.');
    const publications = this.publications
      .listVisible(espaceId === null ? {} : { espaceId })
      .filter((p) => !theme || p.metadata.themes.includes(theme));
    if (publications.length === 0) throw notFound('Aucune pratique publiée ne correspond.');
    const key = createHash('sha256')
      .update(JSON.stringify(publications.map((p) => [p.id, p.number]).sort()))
      .update(theme ?? '')
      .digest('hex')
      .slice(0, 32);
    const fileName = `kit-essaimage${theme ? `-${theme}` : ''}.zip`;
    const cached = path.join(this.cacheDir, `${key}.zip`);
    const existing = await fs.promises.stat(cached).catch(() => null);
    if (existing) return { path: cached, fileName, size: existing.size };
    let build = this.building.get(key);
    if (!build) {
      build = this.build(
        publications,
        espace?.name ?? 'Pratiques émergentes du travail social',
        cached,
        fileName,
      ).finally(() => this.building.delete(key));
      this.building.set(key, build);
    }
    return build;
  }

  private async build(
    publications: readonly PublicationRecord[],
    espaceName: string,
    target: string,
    fileName: string,
  ): Promise<Kit> {
    await fs.promises.mkdir(this.cacheDir, { recursive: true });
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const out = fs.createWriteStream(temp);
    const finished = new Promise<void>((resolve, reject) => {
      out.on('finish', resolve);
      out.on('error', reject);
    });
    const zip = new Zip((error, chunk, final) => {
      if (error) out.destroy(error);
      else {
        out.write(chunk);
        if (final) out.end();
      }
    });
    const add = (name: string, data: Uint8Array, compress = true) => {
      const entry = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
      zip.add(entry);
      entry.push(data, true);
    };
    const espaceIds = new Set(publications.map((p) => p.espaceId).filter((id): id is string => id !== null));
    const themeLabels = new Map(
      [...espaceIds].flatMap((id) => this.themes.list(id).map((t) => [t.id, t.label] as const)),
    );
    const ordered = [...publications].sort(
      (a, b) =>
        Number(b.kind === 'synthese') - Number(a.kind === 'synthese') || a.title.localeCompare(b.title, 'fr'),
    );
    try {
      for (const p of ordered) {
        const folder = p.kind === 'synthese' ? `synthese/${p.slug}` : `fiches/${p.slug}`;
        for (const format of KIT_FORMATS) {
          const result = await this.exports.publication(p, format);
          const body = Buffer.isBuffer(result.body) ? result.body : Buffer.from('');
          // PDF and DOCX are compressed already.
          add(`${folder}/${p.slug}.${result.extension}`, body, format === 'md');
        }
      }
      add('pratiques.csv', Buffer.from(`\uFEFF${metadataCsv(ordered, themeLabels)}`, 'utf8'));
      add('index.html', Buffer.from(indexHtml(ordered, espaceName, themeLabels), 'utf8'));
      zip.end();
      await finished;
      await fs.promises.rename(temp, target);
    } catch (error) {
      zip.terminate();
      out.destroy();
      await fs.promises.rm(temp, { force: true });
      throw error;
    }
    const { size } = await fs.promises.stat(target);
    return { path: target, fileName, size };
  }
}

const files = (p: PublicationRecord): { folder: string; names: string[] } => {
  const folder = p.kind === 'synthese' ? `synthese/${p.slug}` : `fiches/${p.slug}`;
  return { folder, names: KIT_FORMATS.map((f) => `${folder}/${p.slug}.${f}`) };
};

/** One line per publication: what a spreadsheet needs to sort and filter the kit (`;`, CRLF). */
function metadataCsv(
  publications: readonly PublicationRecord[],
  themes: ReadonlyMap<string, string>,
): string {
  // A cell a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection).
  const cell = (text: string): string => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);
  return stringify(
    publications.map((p) => {
      const m = p.metadata;
      return [
        cell(p.title),
        p.kind === 'synthese' ? 'Synthèse' : 'Fiche pratique',
        m.categorie ? categoryLabels[m.categorie] : '',
        m.themes.map((t) => themes.get(t) ?? t).join(', '),
        m.territoire ? (territoireLabel(m.territoire) ?? m.territoire) : '',
        cell(m.structure),
        m.structureType ? structureTypeLabels[m.structureType] : '',
        cell(m.public),
        m.anneeDemarrage === null ? '' : String(m.anneeDemarrage),
        cell(m.contact),
        cell(m.motsCles.join(', ')),
        String(p.number),
        p.publishedAt.slice(0, 10),
        files(p).names[0] ?? '',
      ];
    }),
    {
      delimiter: ';',
      record_delimiter: '\r\n',
      header: true,
      columns: [
        'Titre',
        'Type',
        'Catégorie',
        'Thèmes',
        'Territoire',
        'Structure',
        'Type de structure',
        'Public',
        'Année de démarrage',
        'Contact',
        'Mots-clés',
        'Version',
        'Publiée le',
        'Fichier PDF',
      ],
    },
  );
}

/** The kit's home page: works offline (relative links, no script, styles inline). */
function indexHtml(
  publications: readonly PublicationRecord[],
  espaceName: string,
  themes: ReadonlyMap<string, string>,
): string {
  const item = (p: PublicationRecord) => {
    const m = p.metadata;
    const facts = [
      m.territoire ? territoireLabel(m.territoire) : null,
      m.categorie ? categoryLabels[m.categorie] : null,
      m.themes.map((t) => themes.get(t) ?? t).join(', ') || null,
      m.anneeDemarrage === null ? null : `depuis ${m.anneeDemarrage}`,
    ].filter((f): f is string => Boolean(f));
    const links = files(p).names.map((name) => {
      const ext = name.slice(name.lastIndexOf('.') + 1);
      const label = { pdf: 'PDF', docx: 'Word (DOCX)', md: 'Markdown' }[ext] ?? ext;
      return `<a href="${escapeHtml(name)}">${label}</a>`;
    });
    return `<li><h3>${escapeHtml(p.title)}</h3><p>${escapeHtml(facts.join(' · '))}</p><p>${links.join(' · ')}</p></li>`;
  };
  const synthese = publications.filter((p) => p.kind === 'synthese');
  const fiches = publications.filter((p) => p.kind !== 'synthese');
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kit d’essaimage — ${escapeHtml(espaceName)}</title>
<style>
body{font-family:Marianne,Arial,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;color:#161616;line-height:1.5}
h1{color:#000091}a{color:#000091}ul{list-style:none;padding:0}li{border-bottom:1px solid #ddd;padding:1rem 0}
h3{margin:0 0 .25rem}p{margin:.25rem 0}
</style>
</head>
<body>
<main>
<h1>Kit d’essaimage</h1>
<p>${escapeHtml(espaceName)} — pratiques publiées par le groupe de travail du Haut Conseil du travail social. Chaque pratique est fournie en PDF, en Word (DOCX) et en Markdown ; le tableau <a href="pratiques.csv">pratiques.csv</a> les résume.</p>
${synthese.length > 0 ? `<h2>Document de synthèse</h2><ul>${synthese.map(item).join('')}</ul>` : ''}
<h2>Fiches pratiques (${fiches.length})</h2>
<ul>${fiches.map(item).join('')}</ul>
</main>
</body>
</html>
`;
}
