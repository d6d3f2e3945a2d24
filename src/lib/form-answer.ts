/**
 * How form actions answer, shared by the server (which builds the answers) and the pages (which read
 * them). Each answer names its `section`: the form on the page it belongs to. Sections are string
 * literals, so with `export const actions = { … } satisfies Actions` SvelteKit's `ActionData` is
 * the union of every answer, and `answerIn(form, 'add')` narrows it without a cast; a misspelt
 * section does not compile.
 */

/** Field name → message next to that field; `form` holds a message for the form as a whole. */
export type FieldErrors = Record<string, string>;
/** What the user typed, echoed back (never secrets) so that nothing needs typing again. */
export type FormValues = Record<string, string | string[]>;

/** The payload of a refused submission (see `invalid` in `$lib/server/http/forms`). */
export type Refusal<S extends string = 'main'> = {
	section: S;
	errors: FieldErrors;
	values: FormValues;
};

/** A refusal's payload; `invalid()` sends it with status 400, or spread it into a `fail()` with more to show. */
export function refusal<const S extends string = 'main'>(
	errors: FieldErrors,
	values: FormValues = {},
	section: S = 'main' as S
): Refusal<S> {
	return { errors, values, section };
}

/** The single-valued fields of echoed values, for a form that has no lists. */
export function textValues(values: FormValues | undefined): Record<string, string> {
	return Object.fromEntries(Object.entries(values ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** A successful answer: the section it belongs to plus what the page shows (e.g. `{ saved: true }`). */
export function answer<const S extends string, T extends object = Record<never, never>>(section: S, data?: T): { section: S } & T {
	return { ...(data as T), section };
}

/** The sections an action answer can name. */
export type SectionOf<F> = F extends { section?: infer S } ? Exclude<S, undefined> & string : never;

/**
 * The page's `form` if it answers `section`, else null: on a page with several forms each shows only
 * its own errors and values.
 */
export function answerIn<F extends { section?: unknown }, const S extends SectionOf<F>>(
	form: F | null | undefined,
	section: S
): Extract<F, { section?: S }> | null {
	return form?.section === section ? (form as Extract<F, { section?: S }>) : null;
}

/** A message map from a domain command's refusal reasons: every reason must have its message. */
export type ReasonMessages<R extends string> = { readonly [K in R]: () => string };
