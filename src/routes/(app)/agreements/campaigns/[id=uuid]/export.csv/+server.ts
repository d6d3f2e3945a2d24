import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { authorize } from '$lib/server/http/guard';
import { placeholderLabel } from '$lib/server/http/agreement-labels';
import { CAMPAIGN_STATES, campaignRowParts, getCampaign, type CampaignRow } from '$lib/server/campaigns/campaigns';
import { TEXT_PLACEHOLDERS } from '$lib/server/agreements/template';
import { csvHeaders, csvStream } from '$lib/server/csv';
import { formatDate } from '$lib/i18n/format';
import { todayInHelsinki } from '$lib/time';
import { campaignStateLabel } from '../labels';

/** Rows made into CSV and sent at a time. */
const PART_ROWS = 2_000;

/**
 * Where every tenant's agreement in the campaign stands, through the formula-neutralising CSV writer.
 * A campaign for the whole country has ten thousand rows: read, worked out and sent in parts.
 */
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
	// Labels are made now, while the request's locale holds: the parts are read and made as the file is sent.
	const locale = getLocale();
	const states = new Map(CAMPAIGN_STATES.map((state) => [state, campaignStateLabel(state)]));
	const missing = new Map(TEXT_PLACEHOLDERS.map((name) => [name as string, placeholderLabel(name)]));
	const [yes, no] = [m.campaign_yes(), m.campaign_no()];
	const cells = (r: CampaignRow) => [
		r.tenantName,
		r.businessId,
		states.get(r.state)!,
		r.missing.map((name) => missing.get(name)!).join('; '),
		r.sentAt ? formatDate(r.sentAt, locale) : '',
		String(r.reminders),
		r.sealed ? yes : no,
		`${config.origin}/agreements/${r.agreementId}`
	];
	const parts = (function* () {
		for (const rows of campaignRowParts(db(), campaign.id, PART_ROWS)) yield rows.map(cells);
	})();
	return new Response(csvStream(header, parts), { headers: csvHeaders(`campaign-${todayInHelsinki()}.csv`) });
};
