import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { authorize } from '$lib/server/http/guard';
import { placeholderLabel } from '$lib/server/http/agreement-labels';
import { getCampaign, listCampaignRows } from '$lib/server/campaigns/campaigns';
import { toCsv } from '$lib/server/csv';
import { formatDate } from '$lib/i18n/format';
import { todayInHelsinki } from '$lib/time';
import { campaignStateLabel } from '../labels';

/** Where every tenant's agreement in the campaign stands, through the formula-neutralising CSV writer. */
export const GET: RequestHandler = (event) => {
	authorize(event, 'campaign.view');
	const campaign = getCampaign(db(), event.params.id);
	if (!campaign) error(404, m.error_not_found());
	const header = [
		m.party_tenant(),
		m.field_business_id(),
		m.campaign_csv_state(),
		m.campaign_col_missing(),
		m.campaign_col_sent(),
		m.campaign_col_reminders(),
		m.campaign_col_sealed(),
		m.campaign_csv_link()
	];
	const rows = listCampaignRows(db(), campaign.id).map((r) => [
		r.tenantName,
		r.businessId,
		campaignStateLabel(r.state),
		r.missing.map(placeholderLabel).join('; '),
		r.sentAt ? formatDate(r.sentAt) : '',
		String(r.reminders),
		r.sealed ? m.campaign_yes() : m.campaign_no(),
		`${config.origin}/agreements/${r.agreementId}`
	]);
	return new Response(toCsv([header, ...rows]), {
		headers: {
			'content-type': 'text/csv; charset=utf-8',
			'content-disposition': `attachment; filename="campaign-${todayInHelsinki()}.csv"`,
			'cache-control': 'private, no-store'
		}
	});
};
