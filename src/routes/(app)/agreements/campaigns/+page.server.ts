import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { authorize } from '$lib/server/http/guard';
import { listCampaigns } from '$lib/server/campaigns/campaigns';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'campaign.view');
	return {
		campaigns: listCampaigns(db()).map((c) => ({
			id: c.id,
			name: c.name,
			templateKey: c.templateKey,
			templateVersion: c.templateVersion,
			createdAt: c.createdAt,
			sentAt: c.sentAt
		})),
		may: { create: can(user, 'campaign.manage') }
	};
};
