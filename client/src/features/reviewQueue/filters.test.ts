import { describe, expect, it } from 'vitest';
import { activeScopeCount, readQueueScope, writeQueueScope } from './filters.js';

describe('review dashboard filters in the address', () => {
  it('reads nothing from a bare address: the whole espace', () => {
    expect(readQueueScope(new URLSearchParams())).toEqual({ documentId: null, theme: null });
  });

  it('writes French parameter names and reads them back', () => {
    const params = writeQueueScope({ documentId: 'd-1', theme: 'aller-vers' });
    expect(params.toString()).toBe('document=d-1&theme=aller-vers');
    expect(readQueueScope(params)).toEqual({ documentId: 'd-1', theme: 'aller-vers' });
  });

  it('removes a filter set to « all » and keeps parameters that are not filters', () => {
    const base = new URLSearchParams('document=d-1&theme=aller-vers&autre=oui');
    const params = writeQueueScope({ documentId: null, theme: 'aller-vers' }, base);
    expect(params.toString()).toBe('theme=aller-vers&autre=oui');
  });

  it('treats an empty or oversized value as no filter', () => {
    expect(readQueueScope(new URLSearchParams(`document=%20&theme=${'x'.repeat(101)}`))).toEqual({
      documentId: null,
      theme: null,
    });
  });

  it('counts the filters that narrow the dashboard', () => {
    expect(activeScopeCount({ documentId: null, theme: null })).toBe(0);
    expect(activeScopeCount({ documentId: 'd', theme: 't' })).toBe(2);
  });
});
