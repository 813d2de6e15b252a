import { useRef, useState } from 'react';
import { firstFieldInError, noErrors, type FormErrors } from './formErrors.js';
import { useFocusRequest } from './useFocusRequest.js';

/**
 * The errors of a form and where the focus goes when they change: to the first field in error (in
 * the order of `fields`), or to the alert above the form (`alertRef`) for a refusal tied to no
 * field. With `generalFirst`, the alert takes the focus whenever there is one (login: a wrong
 * password says nothing about a field).
 */
export function useFormErrors<F extends string>(
  fields: readonly F[],
  elementOf: (field: F) => HTMLElement | null,
  options: { generalFirst?: boolean } = {},
) {
  const [errors, setErrors] = useState<FormErrors<F>>(noErrors);
  const alertRef = useRef<HTMLDivElement>(null);
  const requestFocus = useFocusRequest();
  const showErrors = (next: FormErrors<F>): void => {
    setErrors(next);
    const field = firstFieldInError(next, fields);
    requestFocus(() =>
      field && !(options.generalFirst && next.general) ? elementOf(field) : alertRef.current,
    );
  };
  const clearErrors = (): void => setErrors(noErrors());
  return { errors, showErrors, clearErrors, alertRef };
}
