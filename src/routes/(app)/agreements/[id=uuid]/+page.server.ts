import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize, clientOf } from '$lib/server/http/guard';
import { answer, invalid, parseForm, type FieldErrors } from '$lib/server/http/forms';
import {
	declineAgreement,
	getAgreement,
	giveNotice,
	listSignatures,
	rescindAgreement,
	sendForSignature,
	setServiceAgreementEnd,
	signAgreement,
	updateDraft,
	type WrongState
} from '$lib/server/agreements/agreements';
import { hasPassword, type StepUpRefused } from '$lib/server/auth/step-up';
import { canTransition, isEditable } from '$lib/server/agreements/lifecycle';
import { carryOutAgreementFollowUp } from '$lib/server/agreements/follow-up';
import { sealInfo } from '$lib/server/agreements/sealing';
import { agreementContent } from '$lib/server/agreements/values';
import { fillTemplate, MissingValuesError, parseTemplate } from '$lib/server/agreements/template';
import { getTemplate } from '$lib/server/agreements/templates-store';
import { getTenant } from '$lib/server/tenants/tenants';
import {
	confirmationSchema,
	draftChoicesSchema,
	reasonSchema,
	rescindSchema,
	serviceEndSchema,
	signIdentifiedSchema,
	signSchema
} from '$lib/schemas/agreement';
import { signingRequirement } from '$lib/server/agreements/strong-identification';
import { OIDC_COOKIE } from '$lib/server/http/cookies';
import { placeholderLabel } from '$lib/server/http/agreement-labels';
import { isTwoFactorEnabled } from '$lib/server/auth/two-factor';
import { stepUpErrors } from '$lib/server/http/step-up';
import { agreementView, draftChoicesView, signatureView } from '$lib/server/agreements/view';

/** The agreement, after checking the caller may do `action` on its tenant; 404 otherwise. */
function agreementFor(event: RequestEvent<{ id: string }>, action: Parameters<typeof authorize>[1]) {
	const current = getAgreement(db(), event.params.id);
	const user = authorize(event, action, { tenantId: current?.tenantId ?? '' });
	if (!current) error(404, m.error_not_found());
	return { current, user };
}

function missingValues(current: NonNullable<ReturnType<typeof getAgreement>>): string[] {
	try {
		fillTemplate(parseTemplate(current.templateSource), agreementContent(db(), current).values);
		return [];
	} catch (e) {
		if (e instanceof MissingValuesError) return e.missing;
		throw e;
	}
}

export const load: PageServerLoad = (event) => {
	const { current, user } = agreementFor(event, 'agreement.view');
	const scope = { tenantId: current.tenantId };
	const template = getTemplate(db(), current.templateId);
	const signerParty = user.tenantId ? 'tenant' : 'main_connector';
	const mayManage = can(user, 'agreement.manage', scope);
	const mayEdit = mayManage && isEditable(current.status);
	return {
		agreement: agreementView(current),
		draftChoices: mayEdit ? draftChoicesView(current) : null,
		tenant: { id: current.tenantId, name: getTenant(db(), current.tenantId)?.name ?? '' },
		template: template ? { key: template.templateKey, version: template.version, language: template.language } : null,
		signatures: listSignatures(db(), current.id, true).map(signatureView),
		missing: current.status === 'draft' ? missingValues(current).map(placeholderLabel) : [],
		seal: current.sealedPath ? { selfSigned: sealInfo(db()).selfSigned } : null,
		stepUpWithCode: isTwoFactorEnabled(db(), user.id),
		stepUpNoPassword: !hasPassword(db(), user.id),
		strongIdentification: strongIdentificationOf(user),
		may: {
			edit: mayEdit,
			send: mayManage && current.status === 'draft',
			sign:
				(signerParty === 'tenant' && can(user, 'agreement.sign', scope) && current.status === 'awaiting_tenant_signature') ||
				(signerParty === 'main_connector' && can(user, 'agreement.countersign', scope) && current.status === 'awaiting_countersignature'),
			notice: can(user, 'agreement.notice', scope) && canTransition(current.status, 'give_notice'),
			rescind: mayManage && canTransition(current.status, 'rescind'),
			serviceEnd: mayManage && (canTransition(current.status, 'end_automatically') || isEditable(current.status))
		}
	};
};

/** The provider a signature must go through, by display name (null: the password step-up). */
function strongIdentificationOf(user: { tenantId: string | null }): { provider: string } | null {
	const requirement = signingRequirement(db(), user);
	if (!requirement) return null;
	return { provider: requirement === 'unavailable' ? '' : requirement.provider.displayName };
}

/** Refused step-up or wrong state, beside the field concerned; 429 while guessing is blocked. */
function refused(result: WrongState | StepUpRefused): { errors: FieldErrors; status: number } {
	if (result.reason === 'wrong_state') return { errors: { form: m.agreement_wrong_state() }, status: 400 };
	return { errors: stepUpErrors(result), status: result.reason === 'throttled' ? 429 : 400 };
}

export const actions = {
	update: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const parsed = parseForm(draftChoicesSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'update');
		const result = updateDraft(db(), actorOf(event), current.id, parsed.data);
		if (!result.ok) {
			const message =
				'missing' in result
					? m.agreement_missing_values({ values: result.missing.map(placeholderLabel).join(', ') })
					: m.agreement_not_editable();
			return invalid({ form: message }, parsed.values, 'update');
		}
		await carryOutAgreementFollowUp(db(), current.id);
		return answer('update', { saved: true });
	},
	send: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const result = sendForSignature(db(), actorOf(event), current.id);
		if (!result.ok) {
			const message =
				'missing' in result
					? m.agreement_missing_values({ values: result.missing.map(placeholderLabel).join(', ') })
					: m.agreement_wrong_state();
			return invalid({ form: message }, {}, 'send');
		}
		await carryOutAgreementFollowUp(db(), current.id);
		return answer('send', { sent: true });
	},
	sign: async (event) => {
		const current = getAgreement(db(), event.params.id);
		const user = event.locals.user;
		authorize(event, user?.tenantId ? 'agreement.sign' : 'agreement.countersign', { tenantId: current?.tenantId ?? '' });
		if (!current || !user) error(404, m.error_not_found());
		const identified = signingRequirement(db(), user) !== null;
		const formData = await event.request.formData();
		const parsed = identified
			? parseForm(
					signIdentifiedSchema.transform((v) => ({ ...v, password: '', code: '' })),
					formData
				)
			: parseForm(signSchema, formData);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'sign');
		const result = await signAgreement(db(), user, current.id, parsed.data, clientOf(event));
		if (!result.ok) {
			if (result.reason === 'name_mismatch') return invalid({ typedName: m.agreement_name_mismatch() }, parsed.values, 'sign');
			if (result.reason === 'identify') {
				// The CSP's form-action 'self' keeps a form post from redirecting to another site: the page links there.
				event.cookies.set(OIDC_COOKIE.name, result.token, OIDC_COOKIE.options);
				return answer('sign', { identify: { url: result.url, provider: result.providerName } });
			}
			if (result.reason === 'identification_unavailable' || result.reason === 'identification_refused')
				return invalid({ form: m.agreement_identification_unavailable() }, parsed.values, 'sign');
			return invalid(refused(result).errors, parsed.values, 'sign', refused(result).status);
		}
		// Sealing and the mails; whatever fails is retried by the scheduler, the signature stands.
		await carryOutAgreementFollowUp(db(), current.id);
		return answer('sign', { signed: true });
	},
	decline: async (event) => {
		const current = getAgreement(db(), event.params.id);
		const user = event.locals.user;
		authorize(event, user?.tenantId ? 'agreement.sign' : 'agreement.countersign', { tenantId: current?.tenantId ?? '' });
		if (!current || !user) error(404, m.error_not_found());
		const parsed = parseForm(reasonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'decline');
		if (!declineAgreement(db(), user, current.id, parsed.data.reason, clientOf(event).ipAddress))
			return invalid({ form: m.agreement_wrong_state() }, {}, 'decline');
		await carryOutAgreementFollowUp(db(), current.id);
		return answer('decline', { declined: true });
	},
	notice: async (event) => {
		const { current, user } = agreementFor(event, 'agreement.notice');
		const parsed = parseForm(confirmationSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'notice');
		const result = await giveNotice(db(), user, current.id, parsed.data, clientOf(event));
		if (!result.ok) return invalid(refused(result).errors, parsed.values, 'notice', refused(result).status);
		await carryOutAgreementFollowUp(db(), current.id);
		return answer('notice', { endDate: result.endDate });
	},
	rescind: async (event) => {
		const { current, user } = agreementFor(event, 'agreement.manage');
		const parsed = parseForm(rescindSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'rescind');
		const result = await rescindAgreement(db(), user, current.id, parsed.data, clientOf(event));
		if (!result.ok) return invalid(refused(result).errors, parsed.values, 'rescind', refused(result).status);
		await carryOutAgreementFollowUp(db(), current.id);
		return answer('rescind', { rescinded: true });
	},
	serviceEnd: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const parsed = parseForm(serviceEndSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'serviceEnd');
		if (!setServiceAgreementEnd(db(), actorOf(event), current.id, parsed.data.serviceAgreementEndDate || null)) {
			return invalid({ form: m.agreement_wrong_state() }, {}, 'serviceEnd');
		}
		return answer('serviceEnd', { saved: true });
	}
} satisfies Actions;
