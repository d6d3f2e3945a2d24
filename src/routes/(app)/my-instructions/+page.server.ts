import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { instructionsFor, textFor } from '$lib/server/instructions/instructions';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'instruction.read');
	const locale = getLocale();
	// The main connector's people read every instruction but are no one's audience: nothing is pending for them.
	const inAudience = user.tenantId !== null;
	return {
		inAudience,
		instructions: instructionsFor(db(), user).map((row) => ({
			id: row.instruction.id,
			category: row.instruction.category,
			title: textFor(row.version, locale).title,
			version: row.version.version,
			publishedAt: row.version.publishedAt,
			requiresAck: row.instruction.requiresAck,
			pending: inAudience && row.pending,
			acknowledgedVersion: row.acknowledgedVersion
		}))
	};
};
