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
  labelsAtTheEdge()?.observe(label);
  // And once drawn, whatever the observer reports (it reports only changes of what is seen).
  requestAnimationFrame(() => turnAtTheEdge(label));
  return caret;
}

let edgeWatcher: IntersectionObserver | null | undefined;

const TURNED = 'collaboration-carets__label--left';

/**
 * Turns a name label that the editor's edge cuts toward the caret's other side. A label hangs to the
 * right of its caret; the editor clips what would pass its edge (styles.css), since a label at the
 * end of a line on a 390 px phone made the page 462 px wide (tester BR39 F3). Past the editor's
 * right edge, the label turns to the left of the caret; once turned, past its left edge (the caret
 * moved back toward the start of a line), it turns back. Measured against the editor's own box, so
 * it holds whatever clips the label. Does nothing for a label out of the page.
 */
function turnAtTheEdge(label: Element): void {
  const editor = label.closest('.ProseMirror');
  if (!editor) return;
  const box = editor.getBoundingClientRect();
  const seen = label.getBoundingClientRect();
  if (!label.classList.contains(TURNED)) {
    if (seen.right > box.right + 1) label.classList.add(TURNED);
  } else if (seen.left < box.left - 1) label.classList.remove(TURNED);
}

/**
 * One observer for every label, which looks again at a label ({@link turnAtTheEdge}) whenever how
 * much of it is seen changes: ProseMirror keeps a caret's element while it moves, so the same label
 * is seen again at each of its places. Null where the browser has no IntersectionObserver: a label
 * is then looked at once, when drawn.
 */
function labelsAtTheEdge(): IntersectionObserver | null {
  if (edgeWatcher !== undefined) return edgeWatcher;
  edgeWatcher =
    typeof IntersectionObserver === 'undefined'
      ? null
      : new IntersectionObserver(
          (entries) => {
            for (const entry of entries) turnAtTheEdge(entry.target);
          },
          { threshold: [0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1] },
        );
  return edgeWatcher;
}
