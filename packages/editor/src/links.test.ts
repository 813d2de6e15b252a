import { isAllowedUri as tiptapIsAllowedUri, Link } from '@tiptap/extension-link';
import { getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { StarterKit } from '@tiptap/starter-kit';
import { describe, expect, it } from 'vitest';
import { isAllowedUri, LINK_OPTIONS } from './links.js';
import { schema } from './extensions.js';

const URIS = [
  'https://www.hcts.fr/pratiques',
  'http://exemple.org',
  'mailto:contact@ccas-lyon.fr',
  'tel:+33123456789',
  '/documents/42',
  '#section-3',
  'exemple.org/chemin',
  '',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'java\u0000script:alert(1)',
  ' javascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD4=',
  'vbscript:msgbox(1)',
  'file:///etc/passwd',
];

/** A schema with Tiptap's own Link, configured as the shared schema configured it. */
const withTiptapLink = getSchema([StarterKit.configure({ undoRedo: false, link: LINK_OPTIONS })]);

describe('the link mark of the shared schema, without linkifyjs', () => {
  it.each(URIS)('accepts or refuses %j exactly as Tiptap’s Link does', (uri) => {
    expect(isAllowedUri(uri)).toBe(!!tiptapIsAllowedUri(uri, []));
  });

  it.each(['https://www.hcts.fr', '/documents/42', 'javascript:alert(1)'])(
    'writes a link to %j as Tiptap’s Link does (a refused address dropped)',
    (href) => {
      const toDOM = (s: Schema) => {
        const link = s.marks.link;
        if (!link) throw new Error('marque link absente');
        return link.spec.toDOM?.(link.create({ href }), true);
      };
      expect(toDOM(schema)).toEqual(toDOM(withTiptapLink));
    },
  );

  it('drops a refused address when writing', () => {
    const link = schema.marks.link;
    if (!link) throw new Error('marque link absente');
    const dom = link.spec.toDOM?.(link.create({ href: 'javascript:alert(1)' }), true);
    expect(JSON.stringify(dom)).not.toContain('javascript');
  });

  it('uses the options the browser gives Tiptap’s Link for typed and pasted addresses', () => {
    const configured = Link.configure(LINK_OPTIONS);
    expect(configured.options.autolink).toBe(true);
    expect(configured.options.openOnClick).toBe(false);
    expect(configured.options.defaultProtocol).toBe('https');
    expect(schema.marks.link?.spec.inclusive).toBe(true);
  });
});
