import { describe, expect, it } from 'vitest';
import type { CommentAbilitiesDto, ThreadDto } from '@essaim/protocol';
import { threadDto } from './testFixtures.js';
import { refreshed, type ListState } from './useComments.js';

const abilities: CommentAbilitiesDto = { comment: true, resolve: false, moderate: false };
const ready = (threads: ThreadDto[]): ListState => ({ status: 'ready', threads, abilities });
/** The same threads as the server sends them again: equal, but new objects. */
const again = (threads: ThreadDto[]): ThreadDto[] => threads.map((t) => structuredClone(t));

describe('a list of threads read again', () => {
  it('keeps the shown state itself when the server answers the same list', () => {
    const current = ready([threadDto({ id: 't1' }), threadDto({ id: 't2' })]);
    if (current.status !== 'ready') throw new Error('prêt attendu');
    expect(refreshed(current, again(current.threads), { ...abilities })).toBe(current);
  });

  it('keeps the objects of unchanged threads and takes the changed and new ones', () => {
    const current = ready([threadDto({ id: 't1' }), threadDto({ id: 't2' })]);
    if (current.status !== 'ready') throw new Error('prêt attendu');
    const [t1, t2] = again(current.threads) as [ThreadDto, ThreadDto];
    const resolved = { ...t2, status: 'resolved' as const };
    const created = threadDto({ id: 't3' });
    const next = refreshed(current, [t1, resolved, created], abilities);
    if (next.status !== 'ready') throw new Error('prêt attendu');
    expect(next.threads[0]).toBe(current.threads[0]);
    expect(next.threads[1]).toBe(resolved);
    expect(next.threads[2]).toBe(created);
    expect(next.abilities).toBe(current.abilities);
  });

  it('takes a thread deleted elsewhere out, and new abilities in', () => {
    const current = ready([threadDto({ id: 't1' }), threadDto({ id: 't2' })]);
    if (current.status !== 'ready') throw new Error('prêt attendu');
    const next = refreshed(current, again(current.threads).slice(1), { ...abilities, comment: false });
    if (next.status !== 'ready') throw new Error('prêt attendu');
    expect(next.threads.map((t) => t.id)).toEqual(['t2']);
    expect(next.threads[0]).toBe(current.threads[1]);
    expect(next.abilities.comment).toBe(false);
  });

  it('shows the answer as it is after a loading or a failed list', () => {
    const threads = [threadDto({ id: 't1' })];
    expect(refreshed({ status: 'loading' }, threads, abilities)).toEqual(ready(threads));
    expect(refreshed({ status: 'error', message: 'injoignable' }, threads, abilities)).toEqual(
      ready(threads),
    );
  });
});
