import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { answer, invalid, parseForm } from '$lib/server/http/forms';
import { storeCompletionEvidence } from '$lib/server/http/training-record-form';
import { getTenant } from '$lib/server/tenants/tenants';
import { listPeople } from '$lib/server/people/people';
import {
	addTrainingRecord,
	confirmTrainingRecord,
	listModules,
	listTenantRecords,
	moduleName,
	trainingRecordRefusal,
	type TrainingRecordRefusal
} from '$lib/server/training/training';
import { trainingMatrix } from '$lib/server/training/status';
import { todayInHelsinki } from '$lib/time';
import { trainingConfirmSchema, trainingRecordSchema } from '$lib/schemas/training';

function tenantOr404(event: RequestEvent<{ id: string }>) {
	authorize(event, 'training.records', { tenantId: event.params.id });
	const tenant = getTenant(db(), event.params.id);
	if (!tenant) error(404, m.error_not_found());
	return tenant;
}

const activePeople = (tenantId: string) => listPeople(db(), tenantId).filter((p) => p.status === 'active');

export const load: PageServerLoad = (event) => {
	const tenant = tenantOr404(event);
	const locale = getLocale();
	const modules = listModules(db());
	const people = activePeople(tenant.id);
	const records = listTenantRecords(db(), tenant.id);
	const allModules = new Map(listModules(db(), true).map((mod) => [mod.id, moduleName(mod, locale)]));
	const names = new Map(listPeople(db(), tenant.id).map((p) => [p.id, p.name]));
	return {
		tenant: { id: tenant.id, name: tenant.name },
		modules: modules.map((mod) => ({ id: mod.id, name: moduleName(mod, locale) })),
		people: people.map((p) => ({ id: p.id, name: p.name })),
		matrix: trainingMatrix(people, modules, records, todayInHelsinki()),
		records: records.map((r) => ({
			id: r.id,
			person: names.get(r.userId) ?? '',
			module: allModules.get(r.moduleId) ?? '',
			completedOn: r.completedOn,
			validUntil: r.validUntil,
			confirmed: r.confirmed,
			confirmedBy: r.confirmedBy,
			createdBy: r.createdBy,
			evidenceName: r.evidenceName
		}))
	};
};

/** The field each refused rule answers next to. */
const REFUSAL_FIELD: Record<TrainingRecordRefusal, { field: 'userId' | 'moduleId' | 'completedOn'; message: () => string }> = {
	person_not_found: { field: 'userId', message: m.error_choose_one },
	module_not_active: { field: 'moduleId', message: m.error_choose_one },
	completed_in_future: { field: 'completedOn', message: m.training_error_future }
};

export const actions = {
	add: async (event) => {
		const tenant = tenantOr404(event);
		const form = await event.request.formData();
		const parsed = parseForm(trainingRecordSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'add');
		const refuse = (reason: TrainingRecordRefusal) =>
			invalid({ [REFUSAL_FIELD[reason].field]: REFUSAL_FIELD[reason].message() }, parsed.values, 'add');
		// Asked before the evidence file is stored, so that a refused completion leaves no file behind.
		const refusal = trainingRecordRefusal(db(), parsed.data, { tenantId: tenant.id });
		if (refusal) return refuse(refusal);
		const evidence = await storeCompletionEvidence(form);
		if (!evidence.ok) return invalid(evidence.errors, parsed.values, 'add');
		const added = addTrainingRecord(db(), actorOf(event), { ...parsed.data, evidence: evidence.evidence ?? undefined }, true, undefined, {
			tenantId: tenant.id
		});
		if (!added.ok) return refuse(added.reason);
		return answer('add', { added: true });
	},
	confirm: async (event) => {
		const tenant = tenantOr404(event);
		const parsed = parseForm(trainingConfirmSchema, await event.request.formData());
		if (!parsed.ok) error(404, m.error_not_found());
		const confirmed = confirmTrainingRecord(db(), actorOf(event), { tenantId: tenant.id, recordId: parsed.data.recordId });
		if (!confirmed.ok && confirmed.reason === 'not_found') error(404, m.error_not_found());
		if (!confirmed.ok) return invalid({ form: m.training_already_confirmed() }, {}, 'confirm');
		return answer('confirm', { confirmed: true });
	}
} satisfies Actions;
