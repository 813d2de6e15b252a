import { describe, expect, it } from 'vitest';
import { getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { schema } from '@essaim/editor';
import { DocumentTitles } from './docRefs.js';
import { schemaWithNodeViews } from './editorExtensions.js';

const bridge = {
  openFootnote: () => undefined,
  navigate: () => undefined,
  refused: () => undefined,
  lockedRefused: () => undefined,
};

/** What makes a schema: every node and mark, its content, groups and attributes. */
function shape(s: Schema) {
  const nodes = Object.fromEntries(
    Object.entries(s.nodes).map(([name, type]) => [
      name,
      {
        content: type.spec.content ?? '',
        group: type.spec.group ?? '',
        inline: type.isInline,
        atom: type.isAtom,
        marks: type.spec.marks ?? null,
        attrs: Object.keys(type.spec.attrs ?? {}).sort(),
      },
    ]),
  );
  return { nodes, marks: Object.keys(s.marks).sort(), top: s.topNodeType.name };
}

describe('the browser editor’s schema', () => {
  it('is exactly the shared schema: node views add views, never nodes or attributes', () => {
    const withViews = getSchema(schemaWithNodeViews(bridge, new DocumentTitles()));
    expect(shape(withViews)).toEqual(shape(schema));
  });
});
