/**
 * The DOM of another person's caret: a thin line in their colour and a label with their name.
 * Colours are set through `element.style` (CSSOM), which the CSP allows, unlike `style="..."`
 * attributes. The label's white text keeps 4.5:1 contrast on every colour of the palette.
 *
 * The name is drawn by CSS (`content: attr(data-name)`), not written as a text node: the caret
 * sits inside the editable text, and when the browser edits around it natively (a Backspace
 * joining paragraphs next to it), ProseMirror may read the DOM back; a text node there would be
 * read as text and the person's name written into the document for everyone. Generated content
 * is not in the DOM and cannot be. Hidden from screen readers, which read the text itself: the
 * presence list names who is there.
 */
export function renderCaret(user: Record<string, unknown>): HTMLElement {
  const color =
    typeof user.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(user.color) ? user.color : '#666666';
  const name = typeof user.name === 'string' ? user.name : '';
  const caret = document.createElement('span');
  caret.classList.add('collaboration-carets__caret');
  caret.style.borderColor = color;
  const label = document.createElement('span');
  label.classList.add('collaboration-carets__label');
  label.style.backgroundColor = color;
  label.dataset['name'] = name;
  caret.setAttribute('aria-hidden', 'true');
  caret.append(label);
  return caret;
}
