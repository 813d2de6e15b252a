import type { DocumentTemplate } from '@essaim/domain';
import type { DocJSON } from './convert.js';

/**
 * The content of a new document made from a template: one section per template section, each
 * with its title, its subheadings and an empty paragraph to write in. `newId` gives each section
 * its id (random on the server, so ids never repeat across documents).
 */
export function templateContent(template: DocumentTemplate, newId: () => string): DocJSON {
  return {
    type: 'doc',
    content: template.sections.map((section) => ({
      type: 'section',
      attrs: { id: newId(), key: section.key },
      content: [
        { type: 'sectionTitle', content: [{ type: 'text', text: section.title }] },
        ...(section.subheadings?.length
          ? section.subheadings.flatMap((heading): DocJSON[] => [
              { type: 'heading', attrs: { level: 3 }, content: [{ type: 'text', text: heading }] },
              { type: 'paragraph' },
            ])
          : [{ type: 'paragraph' }]),
      ],
    })),
  };
}

/** A new, empty section a rapporteur adds. */
export function emptySection(id: string, title: string): DocJSON {
  return {
    type: 'section',
    attrs: { id, key: null },
    content: [{ type: 'sectionTitle', content: [{ type: 'text', text: title }] }, { type: 'paragraph' }],
  };
}
