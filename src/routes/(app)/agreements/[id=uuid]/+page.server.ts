import { error, fail, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize, clientOf } from '$lib/server/http/guard';
import { invalid, parseForm, type FieldErrors } from '$lib/server/http/forms';
import {
	declineAgreement,
	getAgreement,
	giveNotice,
	listSignatures,
	rescindAgreement,
	sendForSignature,
	setServiceAgreementEnd,
	signAgreement,
	updateDraft
} from '$lib/server/agreements/agreements';
import { canTransition, isEditable } from '$lib/server/agreements/lifecycle';
import { notifyAgreementStep } from '$lib/server/agreements/notify';
import { sealAgreement, sealInfo } from '$lib/server/agreements/sealing';
import { agreementContent } from '$lib/server/agreements/values';
import { fillTemplate, MissingValuesError, parseTemplate } from '$lib/server/agreements/template';
import { getTemplate } from '$lib/server/agreements/templates-store';
import { getTenant } from '$lib/server/tenants/tenants';
import { draftChoicesSchema, reasonSchema, serviceEndSchema, signSchema } from '$lib/schemas/agreement';
import { placeholderLabel } from '$lib/server/http/agreement-labels';
import { isTwoFactorEnabled } from '$lib/server/auth/two-factor';
import { formatTime } from '$lib/i18n/format';

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
	return {
		agreement: current,
		tenant: { id: current.tenantId, name: getTenant(db(), current.tenantId)?.name ?? '' },
		template: template ? { key: template.templateKey, version: template.version, language: template.language } : null,
		signatures: listSignatures(db(), current.id, true),
		missing: current.status === 'draft' ? missingValues(current).map(placeholderLabel) : [],
		seal: current.sealedPath ? sealInfo(db()) : null,
		signWithCode: isTwoFactorEnabled(db(), user.id),
		may: {
			edit: mayManage && isEditable(current.status),
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

export const actions: Actions = {
	update: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const parsed = parseForm(draftChoicesSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'update');
		const result = updateDraft(db(), actorOf(event), current.id, parsed.data);
		if (!result.ok) {
			const errors: FieldErrors = { form: 'missing' in result ? m.agreement_missing_values({ values: result.missing.map(placeholderLabel).join(', ') }) : m.agreement_not_editable() };
			return fail(400, { errors, values: parsed.values, section: 'update' });
		}
		if (current.status !== 'draft') await notifyAgreementStep(db(), getAgreement(db(), current.id)!, 'sent');
		return { section: 'update', saved: true };
	},
	send: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const result = sendForSignature(db(), actorOf(event), current.id);
		if (!result.ok) {
			const message = 'missing' in result ? m.agreement_missing_values({ values: result.missing.map(placeholderLabel).join(', ') }) : m.agreement_wrong_state();
			return invalid({ form: message }, {}, 'send');
		}
		await notifyAgreementStep(db(), getAgreement(db(), current.id)!, 'sent');
		return { section: 'send', sent: true };
	},
	sign: async (event) => {
		const current = getAgreement(db(), event.params.id);
		const user = event.locals.user;
		authorize(event, user?.tenantId ? 'agreement.sign' : 'agreement.countersign', { tenantId: current?.tenantId ?? '' });
		if (!current || !user) error(404, m.error_not_found());
		const parsed = parseForm(signSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'sign');
		const result = await signAgreement(db(), user, current.id, parsed.data, clientOf(event));
		if (!result.ok) {
			const errors: FieldErrors =
				result.reason === 'wrong_password'
					? { password: m.error_current_password_wrong() }
					: result.reason === 'name_mismatch'
						? { typedName: m.agreement_name_mismatch() }
						: result.reason === 'wrong_code'
							? { code: m.two_factor_code_wrong() }
							: result.reason === 'throttled'
								? { code: m.login_throttled({ time: formatTime(result.retryAt) }) }
								: { form: m.agreement_wrong_state() };
			return fail(400, { errors, values: parsed.values, section: 'sign' });
		}
		const signed = getAgreement(db(), current.id)!;
		if (result.status === 'in_force') {
			await sealAgreement(db(), current.id);
			await notifyAgreementStep(db(), signed, 'in_force');
		} else {
			await notifyAgreementStep(db(), signed, 'tenant_signed');
		}
		return { section: 'sign', signed: true };
	},
	decline: async (event) => {
		const current = getAgreement(db(), event.params.id);
		const user = event.locals.user;
		authorize(event, user?.tenantId ? 'agreement.sign' : 'agreement.countersign', { tenantId: current?.tenantId ?? '' });
		if (!current || !user) error(404, m.error_not_found());
		const parsed = parseForm(reasonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'decline');
		if (!declineAgreement(db(), user, current.id, parsed.data.reason, clientOf(event).ipAddress)) return invalid({ form: m.agreement_wrong_state() }, {}, 'decline');
		await notifyAgreementStep(db(), getAgreement(db(), current.id)!, 'declined');
		return { section: 'decline', declined: true };
	},
	notice: async (event) => {
		const { current, user } = agreementFor(event, 'agreement.notice');
		const result = giveNotice(db(), actorOf(event), user.tenantId ? 'tenant' : 'main_connector', current.id);
		if (!result.ok) return invalid({ form: m.agreement_wrong_state() }, {}, 'notice');
		await notifyAgreementStep(db(), getAgreement(db(), current.id)!, 'notice');
		return { section: 'notice', endDate: result.endDate };
	},
	rescind: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const parsed = parseForm(reasonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'rescind');
		if (!rescindAgreement(db(), actorOf(event), current.id, parsed.data.reason)) return invalid({ form: m.agreement_wrong_state() }, {}, 'rescind');
		await notifyAgreementStep(db(), getAgreement(db(), current.id)!, 'ended');
		return { section: 'rescind', rescinded: true };
	},
	serviceEnd: async (event) => {
		const { current } = agreementFor(event, 'agreement.manage');
		const parsed = parseForm(serviceEndSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'serviceEnd');
		if (!setServiceAgreementEnd(db(), actorOf(event), current.id, parsed.data.serviceAgreementEndDate || null)) {
			return invalid({ form: m.agreement_wrong_state() }, {}, 'serviceEnd');
		}
		return { section: 'serviceEnd', saved: true };
	}
};
