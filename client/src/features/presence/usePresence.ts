import { useEffect, useState } from 'react';
import type { HocuspocusProvider } from '@hocuspocus/provider';
import { readableState } from './awarenessGuard.js';

/** One person in the document, as announced through Yjs awareness. */
export interface Participant {
  /** The awareness client id of one of their tabs (yours when it is you). */
  clientId: number;
  /**
   * Who it is: their account (`user.id`, which the server always relays), or the client id when
   * a state carries none. A person with several tabs open is one participant.
   */
  key: string;
  name: string;
  color: string;
  isSelf: boolean;
}

const COLOUR = /^#[0-9a-fA-F]{6}$/;

function readParticipants(provider: HocuspocusProvider, anonymous: string): Participant[] {
  const awareness = provider.awareness;
  if (!awareness) return [];
  const selfId = awareness.clientID;
  const byKey = new Map<string, Participant>();
  for (const [clientId, state] of awareness.getStates()) {
    // A state this page cannot read is ignored, never thrown on (issue 15).
    const user = readableState(state)?.user as { id?: unknown; name?: unknown; color?: unknown } | undefined;
    if (!user) continue;
    const name =
      typeof user.name === 'string' && user.name.trim() ? user.name.trim().slice(0, 60) : anonymous;
    const color = typeof user.color === 'string' && COLOUR.test(user.color) ? user.color : '#666666';
    const key = typeof user.id === 'string' ? `u:${user.id}` : `c:${clientId}`;
    const person = { clientId, key, name, color, isSelf: clientId === selfId };
    // One entry per person (Google Docs shows a person once, whatever their tabs): this tab's
    // when it is one of them, else the tab with the lowest client id.
    const seen = byKey.get(key);
    if (!seen || person.isSelf || (!seen.isSelf && clientId < seen.clientId)) byKey.set(key, person);
  }
  const people = [...byKey.values()];
  // Yourself first, then the others in alphabetical order (French collation).
  return people.sort(
    (a, b) =>
      Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name, 'fr') || a.clientId - b.clientId,
  );
}

function sameParticipants(a: Participant[], b: Participant[]): boolean {
  return (
    a.length === b.length &&
    a.every((p, i) => {
      const q = b[i];
      return (
        q !== undefined &&
        p.clientId === q.clientId &&
        p.key === q.key &&
        p.name === q.name &&
        p.color === q.color &&
        p.isSelf === q.isSelf
      );
    })
  );
}

export interface Presence {
  participants: Participant[];
  /** The last arrivals and departures of other people, as one sentence for a live region. */
  announcement: string;
}

/** Sentences announcing who arrived and who left between two lists (yourself excluded). */
function describeChanges(before: Participant[], after: Participant[], words: PresenceWords): string {
  const others = (list: Participant[]) => new Map(list.filter((p) => !p.isSelf).map((p) => [p.key, p.name]));
  const [was, is] = [others(before), others(after)];
  const sentences: string[] = [];
  for (const [id, name] of is) if (!was.has(id)) sentences.push(words.joined(name));
  for (const [id, name] of was) if (!is.has(id)) sentences.push(words.left(name));
  return sentences.join(' ');
}

export interface PresenceWords {
  anonymous: string;
  joined: (name: string) => string;
  left: (name: string) => string;
}

/** The people currently in the document (awareness states carrying a `user` field). */
export function usePresence(provider: HocuspocusProvider, words: PresenceWords): Presence {
  const [presence, setPresence] = useState<Presence>(() => ({
    participants: readParticipants(provider, words.anonymous),
    announcement: '',
  }));
  useEffect(() => {
    const awareness = provider.awareness;
    if (!awareness) return;
    // Carets move at every keystroke and change awareness too: re-render only when people change.
    const update = () =>
      setPresence((before) => {
        const next = readParticipants(provider, words.anonymous);
        if (sameParticipants(before.participants, next)) return before;
        const announcement = describeChanges(before.participants, next, words);
        return { participants: next, announcement: announcement || before.announcement };
      });
    awareness.on('change', update);
    update();
    return () => awareness.off('change', update);
  }, [provider, words]);
  return presence;
}
