/**
 * The DOM of another person's caret: a thin line in their colour and a label with their name.
 * Colours are set through `element.style` (CSSOM), which the CSP allows, unlike `style="..."`
 * attributes. The label's white text keeps 4.5:1 contrast on every colour of the palette.
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
  label.textContent = name;
  caret.append(label);
  return caret;
}
