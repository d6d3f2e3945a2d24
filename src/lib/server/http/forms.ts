import { fail, type ActionFailure } from '@sveltejs/kit';
import type { z } from 'zod';
import { translate } from '$lib/i18n/translate';
import { refusal, type FieldErrors, type FormValues, type Refusal } from '$lib/form-answer';

export type { FieldErrors, FormValues };
export { answer } from '$lib/form-answer';

/** Fields never echoed back to the browser. */
const SECRET_FIELD = /password|token|passphrase|^(code|currentCode)$/i;

/**
 * FormData to a plain object. A field whose name ends in `[]` becomes a list (checkbox groups,
 * repeated rows); every other field keeps its last value.
 */
export function formDataToObject(formData: FormData): FormValues {
	const out: FormValues = {};
	for (const key of new Set(formData.keys())) {
		const values = formData.getAll(key).filter((v): v is string => typeof v === 'string');
		if (key.endsWith('[]')) out[key.slice(0, -2)] = values;
		else out[key] = values.at(-1) ?? '';
	}
	return out;
}

function withoutSecrets(values: FormValues): FormValues {
	return Object.fromEntries(Object.entries(values).filter(([key]) => !SECRET_FIELD.test(key)));
}

export type Parsed<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FieldErrors; values: FormValues };

/** Validates a form with a schema whose error messages are catalogue keys; errors come back translated. */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData): Parsed<z.output<S>> {
	const values = formDataToObject(formData);
	const result = schema.safeParse(values);
	if (result.success) return { ok: true, data: result.data, values: withoutSecrets(values) };
	const errors: FieldErrors = {};
	for (const issue of result.error.issues) {
		const path = issue.path.join('.') || 'form';
		errors[path] ??= translate(issue.message);
	}
	return { ok: false, errors, values: withoutSecrets(values) };
}

/**
 * The action's answer to invalid input: 400 (or `status`) with the errors and what the user typed.
 * `section` tells a page with several forms which one the answer belongs to; it stays a literal type
 * so that the page can narrow on it (see `$lib/form-answer`).
 */
export function invalid<const S extends string = 'main'>(
	errors: FieldErrors,
	values: FormValues = {},
	section: S = 'main' as S,
	status = 400
): ActionFailure<Refusal<S>> {
	return fail(status, refusal(errors, values, section));
}
