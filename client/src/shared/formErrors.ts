import { ApiError } from './api.js';

/** Messages of a refused form: one per field the server named, and one for the rest. */
export interface FormErrors<F extends string> {
  fields: Partial<Record<F, string>>;
  /** A failure not tied to a field (wrong password, network, rate limit, used link…). */
  general?: string;
}

/**
 * Turns a refusal into French messages shown next to the fields concerned (the server names the
 * field in `details[].path`) and, for everything else, one message for an alert above the form.
 */
export function formErrorsFrom<F extends string>(error: unknown, fields: readonly F[]): FormErrors<F> {
  if (!(error instanceof ApiError)) return { fields: {}, general: String(error) };
  const result: FormErrors<F> = { fields: {} };
  for (const detail of error.body.details ?? []) {
    // `themes.2` (one item of a list) belongs to the field `themes`.
    const field = fields.find((f) => detail.path === f || detail.path.startsWith(`${f}.`));
    if (field !== undefined) result.fields[field] ??= detail.message;
    else result.general ??= detail.message;
  }
  if (Object.keys(result.fields).length === 0 && result.general === undefined) result.general = error.message;
  return result;
}

/** The first field in error, in the order of the form, to move the focus there. */
export function firstFieldInError<F extends string>(
  errors: FormErrors<F>,
  order: readonly F[],
): F | undefined {
  return order.find((f) => errors.fields[f] !== undefined);
}

export const noErrors = <F extends string>(): FormErrors<F> => ({ fields: {} });
