import * as m from '$lib/paraglide/messages.js';
import type { Refusal } from '$lib/server/untrusted/sandbox';
import { untrustedLimits } from '$lib/server/untrusted/limits';

/** Why an uploaded file could not be read, in the reader's language. */
export function refusalMessage(reason: Refusal): string {
	switch (reason) {
		case 'too_much_data':
			return m.untrusted_too_much_data({ mb: Math.round(untrustedLimits.inflatedBytes() / 1048576) });
		case 'busy':
			return m.untrusted_busy();
		default:
			return m.untrusted_unreadable();
	}
}
