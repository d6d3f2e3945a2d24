import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize, clientOf } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { placeholderLabel } from '$lib/server/http/agreement-labels';
import { stepUpErrors } from '$lib/server/http/step-up';
import { hasPassword } from '$lib/server/auth/step-up';
import { isTwoFactorEnabled } from '$lib/server/auth/two-factor';
import { signingRequirement } from '$lib/server/agreements/strong-identification';
import {
	CAMPAIGN_STATES,
	carryOutCampaignFollowUp,
	countersignCampaign,
	fillCampaignDrafts,
	getCampaign,
	campaignList,
	remindWaiting,
	sealingProgress,
	SEND_CHUNK,
	sendingProgress,
	startSending,
	type CampaignState
} from '$lib/server/campaigns/campaigns';
import { campaignFillSchema } from '$lib/schemas/campaign';
import { signSchema } from '$lib/schemas/agreement';

/** The list shows this many rows at a time (page by page); the CSV export has them all. */
const LIST_LIMIT = 200;
/** Drafts with gaps listed for fixing; the rest through the list's "gaps" filter (keeps a national campaign's page small). */
const GAPS_SHOWN = 50;

function campaignFor(event: RequestEvent<{ id: string }>, action: 'campaign.view' | 'campaign.manage' | 'campaign.countersign') {
	const user = authorize(event, action);
	const campaign = getCampaign(db(), event.params.id);
	if (!campaign) error(404, m.error_not_found());
	return { user, campaign };
}

export const load: PageServerLoad = (event) => {
	const { user, campaign } = campaignFor(event, 'campaign.view');
	const requested = event.url.searchParams.get('state');
	const state = (CAMPAIGN_STATES as readonly string[]).includes(requested ?? '') ? (requested as CampaignState) : null;
	const list = campaignList(db(), campaign.id, {
		state,
		page: Number(event.url.searchParams.get('page')),
		pageSize: LIST_LIMIT,
		gapsShown: GAPS_SHOWN
	});
	const progress = sealingProgress(db(), campaign.id);
	const sending = sendingProgress(campaign.id);
	return {
		campaign: {
			id: campaign.id,
			name: campaign.name,
			templateKey: campaign.templateKey,
			templateVersion: campaign.templateVersion,
			message: campaign.message,
			remindAfterDays: campaign.remindAfterDays,
			createdAt: campaign.createdAt,
			sentAt: campaign.sentAt
		},
		created: Number(event.url.searchParams.get('created')) || null,
		counts: list.counts,
		total: list.total,
		state,
		page: list.page,
		pages: list.pages,
		rows: list.rows.map((r) => ({
			agreementId: r.agreementId,
			tenantId: r.tenantId,
			tenantName: r.tenantName,
			businessId: r.businessId,
			state: r.state,
			missing: r.missing.map(placeholderLabel),
			sentAt: r.sentAt,
			reminders: r.reminders,
			sealed: r.sealed
		})),
		shownTotal: list.shownTotal,
		gaps: list.gaps.map((r) => ({
			agreementId: r.agreementId,
			tenantId: r.tenantId,
			tenantName: r.tenantName,
			missing: r.missing.map(placeholderLabel)
		})),
		progress,
		sending,
		// While drafts are being sent, or seals made (and not all of them failing), the page looks again by itself.
		refresh: !!sending?.running || progress.sealed + progress.failing < progress.total,
		stepUpWithCode: isTwoFactorEnabled(db(), user.id),
		stepUpNoPassword: !hasPassword(db(), user.id),
		// Strong identification goes through a provider one agreement at a time, so no batch then.
		identificationRequired: signingRequirement(db(), user) !== null,
		may: { manage: can(user, 'campaign.manage'), countersign: can(user, 'campaign.countersign') }
	};
};

export const actions = {
	fill: async (event) => {
		const { campaign } = campaignFor(event, 'campaign.manage');
		const parsed = parseForm(campaignFillSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'fill');
		const changed = fillCampaignDrafts(db(), actorOf(event), campaign.id, parsed.data);
		return answer('fill', { done: m.campaign_filled({ count: changed }) });
	},
	send: async (event) => {
		const { campaign } = campaignFor(event, 'campaign.manage');
		// Chunk by chunk, the server answering others in between; each chunk's e-mails go out once it is
		// committed, and whatever fails is retried by the scheduler.
		const sending = startSending(db(), actorOf(event), campaign.id, new Date(), {
			afterChunk: (sent) => void carryOutCampaignFollowUp(db(), sent)
		});
		if (sending.alreadyRunning) return answer('send', { done: m.campaign_sending_running() });
		// One chunk is quick: answer with its outcome. More carry on after the response, the page showing the progress.
		if (sending.total > SEND_CHUNK) {
			void sending.finished;
			return answer('send', { done: m.campaign_sending_started({ count: sending.total }) });
		}
		const { sent } = await sending.finished;
		return answer('send', { done: m.campaign_sent({ count: sent.length }) });
	},
	remind: async (event) => {
		const { campaign } = campaignFor(event, 'campaign.manage');
		const reminded = remindWaiting(db(), actorOf(event), campaign.id);
		void carryOutCampaignFollowUp(db(), reminded);
		return answer('remind', { done: m.campaign_reminded({ count: reminded.length }) });
	},
	countersign: async (event) => {
		const { user, campaign } = campaignFor(event, 'campaign.countersign');
		const parsed = parseForm(signSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'countersign');
		const result = await countersignCampaign(db(), user, campaign.id, parsed.data, clientOf(event));
		if (!result.ok) {
			if (result.reason === 'name_mismatch') return invalid({ typedName: m.agreement_name_mismatch() }, parsed.values, 'countersign');
			if (result.reason === 'not_main_connector') error(403, 'Forbidden');
			if (result.reason === 'identification_required')
				return invalid({ typedName: m.campaign_countersign_needs_identification() }, parsed.values, 'countersign');
			return invalid(stepUpErrors(result), parsed.values, 'countersign', result.reason === 'throttled' ? 429 : 400);
		}
		// Each agreement is sealed on its own after the response; the page shows the progress.
		void carryOutCampaignFollowUp(db(), result.countersigned);
		const done = [m.campaign_countersigned({ count: result.countersigned.length })];
		if (result.refused.length) done.push(m.campaign_countersign_refused({ count: result.refused.length }));
		return answer('countersign', { done: done.join(' ') });
	}
} satisfies Actions;
