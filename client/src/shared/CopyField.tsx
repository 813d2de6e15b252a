import { useId, useRef, useState } from 'react';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { fr } from '@codegouvfr/react-dsfr';
import { sharedMessages as m } from './messages.js';

/**
 * A link to hand over (invitation, password reset): a read-only field, selected when focused, and
 * a « Copier » button. The outcome is announced in a polite live region. Give it `key={value}`
 * so a new link starts without the previous « copié ».
 */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setStatus('copied');
    } catch {
      // Clipboard refused (permissions, insecure context): select the text for Ctrl+C.
      inputRef.current?.focus();
      inputRef.current?.select();
      setStatus('failed');
    }
  };

  return (
    <div className={fr.cx('fr-input-group')}>
      <label className={fr.cx('fr-label')} htmlFor={`${id}-champ`}>
        {label}
        {hint && <span className={fr.cx('fr-hint-text')}>{hint}</span>}
      </label>
      <div className="essaim-copy-field">
        <input
          ref={inputRef}
          id={`${id}-champ`}
          className={fr.cx('fr-input')}
          type="text"
          readOnly
          value={value}
          spellCheck={false}
          onFocus={(event) => event.target.select()}
        />
        <Button
          type="button"
          priority="secondary"
          iconId="fr-icon-clipboard-line"
          onClick={copy}
          nativeButtonProps={{ 'aria-describedby': `${id}-etat` }}
        >
          {m.copy}
        </Button>
      </div>
      <p id={`${id}-etat`} className={fr.cx('fr-text--sm', 'fr-mt-1w', 'fr-mb-0')} role="status">
        {status === 'copied' ? m.copied : status === 'failed' ? m.copyFailed : ''}
      </p>
    </div>
  );
}
