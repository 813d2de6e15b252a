import { useEffect, useState } from 'react';
import { canReadReviewQueue } from './api.js';

/** Answers already asked, by person, role and espace (a role change asks again). */
const answers = new Map<string, Promise<boolean>>();

/**
 * Whether the header shows « Relecture » for this espace: the server's
 * `permissions.readReviewQueue` (`can(actor, 'review.readQueue')`), asked once per person, role
 * and espace. `who` changes when the person or their role changes (e.g. `${userId}:${role}`), so
 * an answer never outlives the rights it was given for. False while the answer is on its way and
 * when it cannot be had (offline): the link then stays hidden, the page itself still says why.
 */
export function useReviewQueueAccess(espaceId: string | null, who: string): boolean {
  const key = espaceId ? `${who}|${espaceId}` : null;
  const [known, setKnown] = useState<{ key: string; value: boolean } | null>(null);
  useEffect(() => {
    if (!key || !espaceId) return;
    let current = true;
    let answer = answers.get(key);
    if (!answer) {
      answer = canReadReviewQueue(espaceId).catch(() => {
        answers.delete(key);
        return false;
      });
      answers.set(key, answer);
    }
    void answer.then((value) => {
      if (current) setKnown({ key, value });
    });
    return () => {
      current = false;
    };
  }, [key, espaceId]);
  return known !== null && known.key === key && known.value;
}
