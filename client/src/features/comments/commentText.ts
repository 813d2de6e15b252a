import { mentionToken, parseCommentBody, type AuthorDto } from '@essaim/protocol';

/**
 * Comment bodies between the person and the server. A body is plain text where a mention is the
 * token `@[Nom](user:<id>)` (protocol's `mentionToken`); the person writes and reads `@Nom`. These
 * helpers are pure: the form and the thread view turn their results into React text nodes, never
 * into HTML.
 */

/** A piece of a body as shown: text, a link (http or https only), or a mention shown as `@Nom`. */
export type ShownPart =
  | { kind: 'text'; text: string }
  | { kind: 'link'; text: string; href: string }
  | { kind: 'mention'; name: string; userId: string };

// Candidates; each one is checked with the URL parser before it becomes a link.
const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+/gi;
// Punctuation that ends a sentence rather than the address (« voir https://x.fr/a. »).
const TRAILING = /[.,;:!?»)\]}'"’]+$/;

/** Splits plain text into text and http(s) links. Anything else (`javascript:`, `data:`) stays text. */
export function linkify(
  text: string,
): ({ kind: 'text'; text: string } | { kind: 'link'; text: string; href: string })[] {
  const parts: ({ kind: 'text'; text: string } | { kind: 'link'; text: string; href: string })[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    let candidate = match[0];
    // Keep a closing parenthesis that belongs to the address (« https://fr.wikipedia.org/wiki/A_(B) »).
    const trailing = TRAILING.exec(candidate)?.[0] ?? '';
    candidate = candidate.slice(0, candidate.length - trailing.length);
    if (trailing.startsWith(')') && candidate.includes('(')) candidate += ')';
    const href = safeHttpUrl(candidate);
    if (!href) continue;
    const at = match.index;
    if (at > last) parts.push({ kind: 'text', text: text.slice(last, at) });
    parts.push({ kind: 'link', text: candidate, href });
    last = at + candidate.length;
  }
  if (last < text.length) parts.push({ kind: 'text', text: text.slice(last) });
  return parts;
}

/** The address as the URL parser reads it, when it is an http(s) address; null otherwise. */
export function safeHttpUrl(candidate: string): string | null {
  try {
    const url = new URL(candidate);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A body as it is shown: links only for http(s), the rest as text, and each token of a person the
 * server counts as mentioned (`mentions`, the comment's `mentions` from the API) as a mention named
 * after their account, never after the label written in the token (anyone can write
 * `@[L’administrateur vous demande votre mot de passe](user:<id>)`). A token of someone not in
 * `mentions` (who cannot read the document, or no longer known) is plain text: `@` and its label.
 */
export function shownParts(body: string, mentions: readonly AuthorDto[]): ShownPart[] {
  const names = new Map(mentions.map((person) => [person.id, person.name]));
  const parts: ShownPart[] = [];
  let text = '';
  const flush = () => {
    if (text) parts.push(...linkify(text));
    text = '';
  };
  for (const part of parseCommentBody(body)) {
    const name = part.kind === 'mention' ? names.get(part.userId) : undefined;
    if (part.kind === 'mention' && name !== undefined) {
      flush();
      parts.push({ kind: 'mention', name, userId: part.userId });
    } else text += part.kind === 'mention' ? `@${part.name}` : part.text;
  }
  flush();
  return parts;
}

/**
 * The text a person reads (live announcements, labels): mentions as `@Nom`, named after the
 * account when the person is in `mentions`, else after the token's label.
 */
export function plainText(body: string, mentions: readonly AuthorDto[] = []): string {
  const names = new Map(mentions.map((person) => [person.id, person.name]));
  return parseCommentBody(body)
    .map((part) => (part.kind === 'mention' ? `@${names.get(part.userId) ?? part.name}` : part.text))
    .join('');
}

/** What the form edits: the text with `@Nom`, and the people chosen from the suggestions. */
export interface EditableBody {
  text: string;
  mentions: AuthorDto[];
}

/**
 * The body of an existing message, ready to edit. People in `known` (the comment's `mentions`) are
 * named after their account; other tokens keep their label.
 */
export function toEditable(body: string, known: readonly AuthorDto[] = []): EditableBody {
  const names = new Map(known.map((person) => [person.id, person.name]));
  const mentions: AuthorDto[] = [];
  let text = '';
  for (const part of parseCommentBody(body)) {
    if (part.kind === 'text') text += part.text;
    else {
      const name = names.get(part.userId) ?? part.name;
      text += `@${name}`;
      if (!mentions.some((m) => m.id === part.userId)) mentions.push({ id: part.userId, name });
    }
  }
  return { text, mentions };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The body to send: each `@Nom` of a person chosen from the suggestions becomes their mention
 * token (longest names first, so « @Anne Marie » is not taken for « @Anne »). A name followed by a
 * letter or digit is not a mention of that name. People whose `@Nom` was erased are not mentioned.
 */
export function toBody({ text, mentions }: EditableBody): string {
  const people = [...mentions].filter((m) => m.name).sort((a, b) => b.name.length - a.name.length);
  if (people.length === 0) return text;
  const byName = new Map(people.map((person) => [person.name, person]));
  const pattern = new RegExp(
    `@(${people.map((person) => escapeRegExp(person.name)).join('|')})(?![\\p{L}\\p{N}])`,
    'gu',
  );
  return text.replace(pattern, (whole, name: string) => {
    const person = byName.get(name);
    return person ? mentionToken(person) : whole;
  });
}

/** An `@` being typed: where it is in the text and what follows it up to the caret. */
export interface MentionQuery {
  /** Index of the `@`. */
  start: number;
  query: string;
}

/**
 * The mention being typed at `caret`, or null: an `@` at the start or after a space or an opening
 * bracket, followed by up to 40 characters without line break or `@` (names have spaces, but the
 * query neither starts nor ends with one: a space typed after a name closes the suggestions), up
 * to the caret.
 */
export function mentionQueryAt(text: string, caret: number): MentionQuery | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@]/.test(query) || /^\s|\s$/.test(query)) return null;
  const previous = at === 0 ? '' : (before[at - 1] ?? '');
  if (previous && !/[\s([{«"'’]/.test(previous)) return null;
  return { start: at, query };
}

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase('fr');

/**
 * The people whose name matches what was typed after `@`: every word typed starts a word of the
 * name, accents and case aside (« @sop lam » finds « Sophie Lambert »). At most `limit`.
 */
export function suggestPeople(people: readonly AuthorDto[], query: string, limit = 8): AuthorDto[] {
  const typed = fold(query).split(/\s+/).filter(Boolean);
  return people
    .filter((person) => {
      const words = fold(person.name).split(/[\s-]+/);
      return typed.every((t) => words.some((w) => w.startsWith(t)));
    })
    .slice(0, limit);
}

/** The text once the person chose `person` for the query at `query.start`, and where the caret goes. */
export function insertMention(
  text: string,
  query: MentionQuery,
  caret: number,
  person: AuthorDto,
): { text: string; caret: number } {
  const inserted = `@${person.name} `;
  const after = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, query.start) + inserted + after, caret: query.start + inserted.length };
}
