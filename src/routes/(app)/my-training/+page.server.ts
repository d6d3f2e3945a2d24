import type { Actions, PageServerLoad } from './$types';
import * as m from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { actorOf, authorize } from '$lib/server/http/guard';
import { invalid, parseForm } from '$lib/server/http/forms';
import { storeCompletionEvidence } from '$lib/server/http/training-record-form';
import {
	addTrainingRecord,
	listModules,
	listPersonRecords,
	moduleName,
	trainingRecordRefusal,
	type TrainingRecordRefusal
} from '$lib/server/training/training';
import { isRequiredFor, trainingStatus } from '$lib/server/training/status';
import { todayInHelsinki } from '$lib/time';
import { trainingDeclarationSchema } from '$lib/schemas/training';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'training.declare');
	const locale = getLocale();
	const today = todayInHelsinki();
	const records = listPersonRecords(db(), user.id);
	const names = new Map(listModules(db(), true).map((mod) => [mod.id, moduleName(mod, locale)]));
	return {
		modules: listModules(db()).map((mod) => ({
			id: mod.id,
			name: names.get(mod.id)!,
			description: locale === 'sv' ? mod.descriptionSv : locale === 'en' ? mod.descriptionEn : mod.descriptionFi,
			required: isRequiredFor(mod, user.roles),
			status: trainingStatus(
				records.filter((r) => r.moduleId === mod.id),
				today
			)
		})),
		records: records.map((r) => ({
			id: r.id,
			module: names.get(r.moduleId) ?? '',
			completedOn: r.completedOn,
			validUntil: r.validUntil,
			expired: r.validUntil !== null && r.validUntil < today,
			confirmed: r.confirmed,
			evidenceName: r.evidenceName
		}))
	};
};

export const actions = {
	declare: async (event) => {
		const user = authorize(event, 'training.declare');
		const form = await event.request.formData();
		const parsed = parseForm(trainingDeclarationSchema, form);
		if (!parsed.ok) return invalid(parsed.errors, parsed.values);
		const input = { ...parsed.data, userId: user.id };
		const refuse = (reason: TrainingRecordRefusal) =>
			invalid(
				reason === 'completed_in_future' ? { completedOn: m.training_error_future() } : { moduleId: m.error_choose_one() },
				parsed.values
			);
		// Asked before the evidence file is stored, so that a refused declaration leaves no file behind.
		const refusal = trainingRecordRefusal(db(), input);
		if (refusal) return refuse(refusal);
		const evidence = await storeCompletionEvidence(form);
		if (!evidence.ok) return invalid(evidence.errors, parsed.values);
		const declared = addTrainingRecord(db(), actorOf(event), { ...input, evidence: evidence.evidence ?? undefined }, false);
		if (!declared.ok) return refuse(declared.reason);
		return { declared: true };
	}
} satisfies Actions;
