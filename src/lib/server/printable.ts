// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]+/g;

/**
 * A value as an agreement prints it: single-line text, no control characters, no way to start a
 * heading or a tag. Empty when there is nothing to print. Shared by the templates and by the SQL
 * function `blank_value`, which the campaign list calls for the rare values its own test cannot judge.
 */
export function printable(value: string): string {
	return value
		.replace(CONTROL_CHARACTERS, ' ')
		.replace(/\{\{|\}\}/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

/** A template value that would be reported missing where it is printed. */
export const isMissingValue = (value: unknown): boolean => typeof value !== 'string' || !printable(value);
