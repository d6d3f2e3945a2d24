import type { PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { currentVersion, listInstructions, textFor } from '$lib/server/instructions/instructions';
import { coverageTotals, targetTenantIds } from '$lib/server/instructions/report';

export const load: PageServerLoad = (event) => {
	authorize(event, 'instruction.manage');
	const locale = getLocale();
	const archived = event.url.searchParams.has('archived');
	return {
		archived,
		instructions: listInstructions(db(), archived)
			.filter((item) => !archived || item.archivedAt)
			.map((item) => {
				const version = currentVersion(db(), item.id)!;
				return {
					id: item.id,
					category: item.category,
					title: textFor(version, locale).title,
					version: version.version,
					publishedAt: version.publishedAt,
					audience: item.audience,
					tenantCount: item.allTenants ? null : targetTenantIds(db(), item.id).length,
					requiresAck: item.requiresAck,
					attachment: version.attachmentName !== null,
					coverage: item.requiresAck && !item.archivedAt ? coverageTotals(db(), item) : null
				};
			})
	};
};
