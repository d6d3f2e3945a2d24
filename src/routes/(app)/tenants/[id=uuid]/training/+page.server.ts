import { error, type RequestEvent } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { completionEvidence } from '$lib/server/http/training-record-form';
import { getTenant } from '$lib/server/tenants/tenants';
import { listPeople } from '$lib/server/people/people';
import {
	addTrainingRecord,
	confirmTrainingRecord,
	getModule,
	getTrainingRecord,
	listModules,
	listTenantRecords,
	moduleName
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

export const actions: Actions = {
	add: async (event) => {
		const tenant = tenantOr404(event);
		const form = await event.request.formData();
		const parsed = parseForm(trainingRecordSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'add');
		if (!activePeople(tenant.id).some((p) => p.id === parsed.data.userId))
			return invalid({ userId: m.error_choose_one() }, parsed.values, 'add');
		if (!getModule(db(), parsed.data.moduleId)?.active) return invalid({ moduleId: m.error_choose_one() }, parsed.values, 'add');
		const evidence = await completionEvidence(form, parsed.data.completedOn);
		if (!evidence.ok) return invalid(evidence.errors, parsed.values, 'add');
		addTrainingRecord(db(), actorOf(event), { ...parsed.data, evidence: evidence.evidence ?? undefined }, true);
		return { section: 'add', added: true };
	},
	confirm: async (event) => {
		const tenant = tenantOr404(event);
		const parsed = parseForm(trainingConfirmSchema, await event.request.formData());
		if (!parsed.ok) error(404, m.error_not_found());
		const record = getTrainingRecord(db(), parsed.data.recordId);
		if (!record || record.tenantId !== tenant.id) error(404, m.error_not_found());
		if (!confirmTrainingRecord(db(), actorOf(event), record.id)) return invalid({ form: m.training_already_confirmed() }, {}, 'confirm');
		return { section: 'confirm', confirmed: true };
	}
};
