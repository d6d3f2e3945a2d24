import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { getTenant } from '$lib/server/tenants/tenants';
import { currentVersion, missingByPerson, textFor } from '$lib/server/instructions/instructions';
import { tenantCoverage } from '$lib/server/instructions/report';

export const load: PageServerLoad = (event) => {
	const tenantId = event.params.id;
	authorize(event, 'instruction.coverage', { tenantId });
	const tenant = getTenant(db(), tenantId);
	if (!tenant) error(404, m.error_not_found());
	const locale = getLocale();
	const title = (id: string) => textFor(currentVersion(db(), id)!, locale).title;
	return {
		tenant: { id: tenant.id, name: tenant.name },
		instructions: tenantCoverage(db(), tenantId, locale).map((row) => ({
			id: row.instruction.id,
			title: row.title,
			version: row.version,
			acknowledged: row.acknowledged,
			total: row.total,
			people: row.people
		})),
		missing: missingByPerson(db(), tenantId).map((p) => ({
			userId: p.userId,
			name: p.name,
			missing: p.missing.map((i) => ({ id: i.id, title: title(i.id) }))
		}))
	};
};
