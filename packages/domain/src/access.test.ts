import { describe, expect, it } from 'vitest';
import { can, collabAccess, type Action } from './access.js';

const guest = { kind: 'guest' } as const;
const doc = { type: 'document', id: 'd' } as const;

describe('can()', () => {
  it.each<[Action, boolean]>([
    ['document.list', true],
    ['document.create', true],
    ['document.read', true],
    ['document.edit', true],
  ])('lets a guest (before accounts exist) perform %s: %s', (action, expected) => {
    expect(can(guest, action, doc)).toBe(expected);
  });

  it('opens documents in write mode for a guest, derived from can()', () => {
    expect(collabAccess(guest, 'd')).toBe('write');
  });
});
