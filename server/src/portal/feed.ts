import { Feed } from 'feed';
import { escapeHtml } from './html.js';
import { kindLabels, PORTAL_NAME } from './messages.js';
import { excerptOf } from './pages.js';
import type { PortalEntry } from './portalQueries.js';

/** Entries in a feed at most: the newest publications. */
export const FEED_SIZE = 50;

/** Whether a code point is a character XML 1.0 allows (§2.2: no C0 control but tab and line breaks, no lone surrogate, no U+FFFE/U+FFFF). */
function isXmlChar(c: string): boolean {
  const cp = c.codePointAt(0) ?? 0;
  return (
    cp === 0x9 ||
    cp === 0xa ||
    cp === 0xd ||
    (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) ||
    (cp >= 0x10000 && cp <= 0x10ffff)
  );
}

/** Text a person typed, made safe for the feed: without the characters XML forbids. */
const xmlText = (text: string): string => Array.from(text).filter(isXmlChar).join('');

/**
 * Text for an Atom element of type `html` (`feed` writes titles and summaries so, in CDATA):
 * escaped, so `<b>` typed in a title is shown as such and `]]>` cannot close the CDATA section.
 */
const htmlText = (text: string): string => escapeHtml(xmlText(text));

/** A label for an XML attribute (`feed` escapes `&` and `"` there, not `<`). */
const attributeText = (text: string): string => xmlText(text).replace(/[<>]/g, '');

export interface FeedOptions {
  /** The site's origin, `https://essaim.example.org` (Atom wants absolute addresses). */
  origin: string;
  /** The theme the feed is about, with its label, or null for every publication. */
  theme: { id: string; label: string } | null;
  /** The label of a theme of an espace, for each entry's categories. */
  themeLabel: (espaceId: string | null, id: string) => string;
}

/**
 * The Atom feed (RFC 4287, written by the `feed` package) of the newest visible publications
 * ({@link FEED_SIZE} at most), newest first: one entry per published document, its address the
 * document's portal page, updated at its newest publication, with an excerpt and its themes as
 * categories. `entries` must be newest first and already filtered.
 */
export function atomFeed(entries: readonly PortalEntry[], o: FeedOptions): string {
  const selfPath = `/pratiques/flux.atom${o.theme ? `?theme=${encodeURIComponent(o.theme.id)}` : ''}`;
  const shown = entries.slice(0, FEED_SIZE);
  const feed = new Feed({
    id: `${o.origin}${selfPath}`,
    title: xmlText(o.theme ? `${PORTAL_NAME} — thème « ${o.theme.label} »` : PORTAL_NAME),
    description:
      'Fiches pratiques et synthèse publiées par le groupe de travail « pratiques émergentes » du HCTS.',
    link: `${o.origin}/pratiques/`,
    feedLinks: { atom: `${o.origin}${selfPath}` },
    language: 'fr',
    // The newest publication's date: the same feed for the same publications.
    updated: new Date(shown[0]?.publishedAt ?? '2020-01-01T00:00:00.000Z'),
    generator: 'Essaim',
    author: { name: 'Groupe de travail « pratiques émergentes » du HCTS' },
  });
  for (const entry of shown) {
    const url = `${o.origin}/pratiques/${entry.slug}`;
    feed.addItem({
      title: htmlText(entry.title),
      id: url,
      link: url,
      date: new Date(entry.publishedAt),
      description: htmlText(
        `${kindLabels[entry.kind]} (version ${entry.number}) — ${excerptOf(entry.textStart)}`,
      ),
      category: entry.metadata.themes.map((id) => ({
        term: attributeText(id),
        name: attributeText(o.themeLabel(entry.espaceId, id)),
      })),
    });
  }
  return feed.atom1();
}
