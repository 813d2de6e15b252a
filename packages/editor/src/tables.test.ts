import { getSchema, type AnyExtension } from '@tiptap/core';
import { TableKit } from '@tiptap/extension-table';
import { StarterKit } from '@tiptap/starter-kit';
import type { Node as ProseMirrorNode, NodeSpec, NodeType, Schema } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { schema, schemaExtensions } from './extensions.js';

const TABLE_NODES = ['table', 'tableCell', 'tableHeader', 'tableRow'];

/** What StarterKit brings to the shared list (listed one by one there, the link mark bare). */
const STARTER_KIT_PARTS = new Set([
  'bold',
  'blockquote',
  'bulletList',
  'code',
  'codeBlock',
  'dropCursor',
  'gapCursor',
  'hardBreak',
  'horizontalRule',
  'italic',
  'listItem',
  'listKeymap',
  'link',
  'orderedList',
  'paragraph',
  'strike',
  'text',
  'underline',
  'trailingNode',
]);

/**
 * The shared list as it was before the first drawing lost prosemirror-tables and linkifyjs:
 * Tiptap's `StarterKit` (with its link) and `TableKit` (resizable: false) in place of the parts
 * listed one by one and the bare nodes.
 */
function schemaWithKits(): Schema {
  const list: AnyExtension[] = [
    StarterKit.configure({
      document: false,
      undoRedo: false,
      heading: false,
      link: { openOnClick: false, autolink: true, defaultProtocol: 'https' },
    }),
  ];
  for (const extension of schemaExtensions()) {
    if (STARTER_KIT_PARTS.has(extension.name)) continue;
    if (!TABLE_NODES.includes(extension.name)) list.push(extension);
    else if (extension.name === 'table') list.push(TableKit.configure({ table: { resizable: false } }));
  }
  return getSchema(list);
}

/** The node type `name` of `s` (fails the test when absent). */
function nodeType(s: Schema, name: string): NodeType {
  const type = s.nodes[name];
  if (!type) throw new Error(`nœud absent : ${name}`);
  return type;
}

/** The spec of node or mark `name` of `s` (fails the test when absent). */
function specOf(s: Schema, name: string, kind: 'nodes' | 'marks'): NodeSpec {
  const type = kind === 'nodes' ? s.nodes[name] : s.marks[name];
  if (!type) throw new Error(`absent du schéma : ${name}`);
  return type.spec as NodeSpec;
}

/** Every part of a node spec that is data (functions left out), for comparison. */
function specData(s: Schema, name: string, kind: 'nodes' | 'marks' = 'nodes'): unknown {
  const spec = specOf(s, name, kind);
  return JSON.parse(JSON.stringify(spec)) as unknown;
}

function sampleTable(s: Schema, colwidth: number[] | null): ProseMirrorNode {
  const cell = (type: 'tableCell' | 'tableHeader', text: string) =>
    nodeType(s, type).create({ colwidth }, nodeType(s, 'paragraph').create(null, s.text(text)));
  return nodeType(s, 'table').create(null, [
    nodeType(s, 'tableRow').create(null, [cell('tableHeader', 'Public'), cell('tableHeader', 'Durée')]),
    nodeType(s, 'tableRow').create(null, [cell('tableCell', 'Familles'), cell('tableCell', '3 mois')]),
  ]);
}

describe('the shared schema without StarterKit and TableKit', () => {
  const withKits = schemaWithKits();

  it('lists the same nodes and marks in the same order as the schema built with the kits', () => {
    expect(STARTER_KIT_PARTS.size).toBe(19);
    expect(schemaExtensions().filter((e) => STARTER_KIT_PARTS.has(e.name))).toHaveLength(19);
    expect(Object.keys(schema.nodes)).toEqual(Object.keys(withKits.nodes));
    expect(Object.keys(schema.marks)).toEqual(Object.keys(withKits.marks));
  });

  it('gives every node and mark the same spec (functions aside)', () => {
    for (const name of Object.keys(withKits.nodes))
      expect(specData(schema, name)).toEqual(specData(withKits, name));
    for (const name of Object.keys(withKits.marks))
      expect(specData(schema, name, 'marks')).toEqual(specData(withKits, name, 'marks'));
  });
});

describe('the table nodes of the shared schema, without prosemirror-tables', () => {
  const withKit = schemaWithKits();

  it.each(TABLE_NODES)('gives %s the same spec: content, group, role, attributes and parse rules', (name) => {
    expect(specData(schema, name)).toEqual(specData(withKit, name));
    expect(specOf(schema, name, 'nodes').tableRole).toBeDefined();
    expect(specOf(schema, name, 'nodes').parseDOM?.map((rule) => 'tag' in rule && rule.tag)).toEqual(
      specOf(withKit, name, 'nodes').parseDOM?.map((rule) => 'tag' in rule && rule.tag),
    );
  });

  it.each([
    ['without stored widths', null],
    ['with stored column widths', [120]],
  ])('renders a table %s to the same HTML structure', (_label, colwidth) => {
    const ours = sampleTable(schema, colwidth);
    const theirs = sampleTable(withKit, colwidth);
    const toDOM = (s: Schema, node: ProseMirrorNode) => nodeType(s, 'table').spec.toDOM?.(node);
    expect(toDOM(schema, ours)).toEqual(toDOM(withKit, theirs));
    expect(ours.toJSON()).toEqual(theirs.toJSON());
  });

  it('reads a stored table the same way as TableKit', () => {
    const json = sampleTable(withKit, null).toJSON() as Record<string, unknown>;
    expect(schema.nodeFromJSON(json).toJSON()).toEqual(json);
  });
});
