import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { fr } from '@codegouvfr/react-dsfr';
import { COMMENT_BODY_MAX, type AuthorDto } from '@essaim/protocol';
import {
  insertMention,
  mentionQueryAt,
  suggestPeople,
  toBody,
  type EditableBody,
  type MentionQuery,
} from './commentText.js';
import { commentsMessages as m } from './messages.js';

/**
 * A comment's text field: plain text, 10,000 characters at most (counted on what is sent), and
 * `@` suggestions of the espace's people (a listbox under the field: arrows to move, Enter or Tab
 * to insert, Escape to close). Ctrl+Entrée publishes. The server's refusal is shown under the field.
 */
export function CommentForm({
  label,
  submitLabel,
  people,
  initial = { text: '', mentions: [] },
  onSubmit,
  onCancel,
  autoFocus = false,
  compact = false,
}: {
  label: string;
  submitLabel: string;
  people: readonly AuthorDto[];
  initial?: EditableBody;
  /** Sends the body (mention tokens included); rejects with a French message. */
  onSubmit: (body: string) => Promise<void>;
  onCancel?: () => void;
  autoFocus?: boolean;
  compact?: boolean;
}) {
  const [text, setText] = useState(initial.text);
  const [mentions, setMentions] = useState<AuthorDto[]>(initial.mentions);
  const [query, setQuery] = useState<MentionQuery | null>(null);
  const [active, setActive] = useState(0);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes once the text is drawn again (after a mention is inserted). */
  const caretAfterRender = useRef<number | null>(null);
  const fieldId = useId();
  const hintId = useId();
  const errorId = useId();
  const countId = useId();
  const listId = useId();
  const statusId = useId();

  useEffect(() => {
    if (autoFocus) field.current?.focus();
  }, [autoFocus]);

  const body = useMemo(() => toBody({ text, mentions }), [text, mentions]);
  const tooLong = body.length > COMMENT_BODY_MAX;
  const suggestions = useMemo(() => (query ? suggestPeople(people, query.query) : []), [people, query]);
  const listOpen = query !== null && suggestions.length > 0;
  const optionId = (index: number) => `${listId}-${index}`;

  const readQuery = (element: HTMLTextAreaElement) => {
    const next = mentionQueryAt(element.value, element.selectionStart);
    setQuery(next);
    setActive(0);
  };

  const choose = (person: AuthorDto) => {
    const element = field.current;
    if (!element || !query) return;
    const next = insertMention(element.value, query, element.selectionStart, person);
    setText(next.text);
    setMentions((list) => (list.some((p) => p.id === person.id) ? list : [...list, person]));
    setQuery(null);
    caretAfterRender.current = next.caret;
  };

  // The caret goes after an inserted mention as soon as the new text is drawn, before the next key.
  useLayoutEffect(() => {
    const caret = caretAfterRender.current;
    if (caret === null || !field.current) return;
    caretAfterRender.current = null;
    field.current.focus();
    field.current.setSelectionRange(caret, caret);
  }, [text]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (pending) return;
    if (!body.trim()) return setError(m.form.empty);
    if (tooLong) return setError(m.form.tooLong);
    setPending(true);
    setError(null);
    try {
      await onSubmit(body);
      setText('');
      setMentions([]);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : m.errors.failed);
      field.current?.focus();
    } finally {
      setPending(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (listOpen) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const last = suggestions.length - 1;
        setActive((i) => (event.key === 'ArrowDown' ? (i >= last ? 0 : i + 1) : i <= 0 ? last : i - 1));
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        const person = suggestions[active];
        if (person) {
          event.preventDefault();
          choose(person);
        }
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setQuery(null);
        return;
      }
    }
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    } else if (event.key === 'Escape' && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };

  const describedBy = [hintId, countId, error || tooLong ? errorId : null].filter(Boolean).join(' ');

  return (
    <form
      className={'essaim-comment-form' + (compact ? ' essaim-comment-form--compact' : '')}
      onSubmit={(e) => void submit(e)}
      noValidate
    >
      <div className={fr.cx('fr-input-group', error || tooLong ? 'fr-input-group--error' : null, 'fr-mb-1w')}>
        <label className={fr.cx('fr-label')} htmlFor={fieldId}>
          {label}
          <span id={hintId} className={fr.cx('fr-hint-text')}>
            {m.form.bodyHint}
          </span>
        </label>
        <div className="essaim-comment-form__field">
          <textarea
            ref={field}
            id={fieldId}
            className={fr.cx('fr-input', error || tooLong ? 'fr-input--error' : null)}
            rows={compact ? 2 : 3}
            value={text}
            aria-describedby={describedBy}
            aria-invalid={error || tooLong ? true : undefined}
            aria-autocomplete="list"
            aria-controls={listOpen ? listId : undefined}
            aria-activedescendant={listOpen ? optionId(active) : undefined}
            onChange={(event) => {
              setText(event.target.value);
              if (error) setError(null);
              readQuery(event.target);
            }}
            onSelect={(event) => readQuery(event.currentTarget)}
            onKeyDown={onKeyDown}
            onBlur={() => setQuery(null)}
          />
          {listOpen && (
            <ul id={listId} role="listbox" aria-label={m.form.suggestions} className="essaim-mentions">
              {suggestions.map((person, index) => (
                <li
                  key={person.id}
                  id={optionId(index)}
                  role="option"
                  aria-selected={index === active}
                  className="essaim-mentions__option"
                  // Keeps the focus (and the caret) in the field.
                  onMouseDown={(event) => event.preventDefault()}
                  onClick={() => choose(person)}
                >
                  {person.name}
                </li>
              ))}
            </ul>
          )}
        </div>
        <p className="fr-sr-only" id={statusId} role="status" aria-live="polite">
          {query ? m.form.suggestionsCount(suggestions.length) : ''}
        </p>
        <p id={countId} className={fr.cx('fr-text--xs', 'fr-mb-0', 'fr-mt-1v') + ' essaim-muted'}>
          {m.form.length(body.length, COMMENT_BODY_MAX)}
        </p>
        {(error || tooLong) && (
          <p id={errorId} className={fr.cx('fr-error-text')}>
            {error ?? m.form.tooLong}
          </p>
        )}
      </div>
      <div className="essaim-comment-form__buttons">
        {onCancel && (
          <button
            type="button"
            className={fr.cx('fr-btn', 'fr-btn--sm', 'fr-btn--secondary')}
            onClick={onCancel}
          >
            {m.form.cancel}
          </button>
        )}
        <button type="submit" className={fr.cx('fr-btn', 'fr-btn--sm')} disabled={pending}>
          {pending ? m.form.publishing : submitLabel}
        </button>
      </div>
    </form>
  );
}
