import { useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Editor } from '@tiptap/react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Input } from '@codegouvfr/react-dsfr/Input';
import { fr } from '@codegouvfr/react-dsfr';
import { editorMessages as m } from './messages.js';

const ALLOWED = /^(https?:\/\/|mailto:)/i;

/** Adds `https://` to a bare address, and refuses schemes other than http(s) and mailto. */
export function normaliseLinkUrl(input: string): string | null {
  const value = input.trim();
  if (!value) return null;
  const withScheme = ALLOWED.test(value) || /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  if (!ALLOWED.test(withScheme)) return null;
  try {
    return new URL(withScheme).href;
  } catch {
    return null;
  }
}

/** The small form under the toolbar that sets, changes or removes the link on the selection. */
export function LinkForm({ id, editor, onClose }: { id: string; editor: Editor; onClose: () => void }) {
  const current = editor.getAttributes('link') as { href?: unknown };
  const [url, setUrl] = useState(typeof current.href === 'string' ? current.href : '');
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const hasLink = typeof current.href === 'string';

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const href = normaliseLinkUrl(url);
    if (!href) {
      setError(m.link.urlInvalid);
      return;
    }
    const { empty } = editor.state.selection;
    if (empty && !editor.isActive('link')) {
      editor
        .chain()
        .focus()
        .insertContent({ type: 'text', text: href, marks: [{ type: 'link', attrs: { href } }] })
        .run();
    } else {
      editor.chain().focus().extendMarkRange('link').setLink({ href }).run();
    }
    onClose();
  };

  const remove = () => {
    editor.chain().focus().extendMarkRange('link').unsetLink().run();
    onClose();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <form
      id={id}
      className="essaim-link-form"
      onSubmit={apply}
      onKeyDown={onKeyDown}
      aria-label={m.link.formLabel}
      noValidate
    >
      <Input
        label={m.link.urlLabel}
        hintText={m.link.urlHint}
        state={error ? 'error' : 'default'}
        stateRelatedMessage={error ?? undefined}
        nativeInputProps={{
          id: inputId,
          type: 'url',
          inputMode: 'url',
          value: url,
          autoFocus: true,
          onChange: (event) => setUrl(event.target.value),
        }}
      />
      <ul
        className={fr.cx(
          'fr-btns-group',
          'fr-btns-group--inline',
          'fr-btns-group--sm',
          'fr-btns-group--left',
        )}
      >
        <li>
          <Button type="submit" size="small">
            {m.link.apply}
          </Button>
        </li>
        {hasLink && (
          <li>
            <Button
              type="button"
              size="small"
              priority="secondary"
              iconId="fr-icon-link-unlink"
              onClick={remove}
            >
              {m.link.remove}
            </Button>
          </li>
        )}
        <li>
          <Button type="button" size="small" priority="tertiary" onClick={onClose}>
            {m.link.cancel}
          </Button>
        </li>
      </ul>
    </form>
  );
}
