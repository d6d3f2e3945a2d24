import type { Actions, PageServerLoad } from './$types';
import { error } from '@sveltejs/kit';
import * as m from '$lib/paraglide/messages.js';
import { db } from '$lib/server/db';
import { can } from '$lib/server/auth/authorize';
import { actorOf, authorize } from '$lib/server/http/guard';
import {
	addDesignatedPerson,
	getMainConnector,
	listDesignatedPersons,
	removeDesignatedPerson,
	updateMainConnector
} from '$lib/server/organisation/organisation';
import { listPeople } from '$lib/server/people/people';
import { changeRoles, deactivate, invite, reactivate, resend, resetTwoFactor } from '$lib/server/http/people-actions';
import { designatedPersonSchema, organisationSchema } from '$lib/schemas/organisation';
import { answer, invalid, parseForm } from '$lib/server/http/forms';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'organisation.view');
	const organisation = getMainConnector(db());
	if (!organisation) error(404, m.error_not_found());
	return {
		organisation,
		designated: listDesignatedPersons(db()),
		people: listPeople(db(), null).map((p) => ({
			id: p.id,
			name: p.name,
			email: p.email,
			status: p.status,
			roles: p.roles,
			twoFactorEnabled: p.twoFactorEnabled
		})),
		currentUserId: user.id,
		may: {
			edit: can(user, 'organisation.edit'),
			managePeople: can(user, 'organisation.people.manage'),
			informationSystems: can(user, 'information_system.manage'),
			sso: can(user, 'sso.manage')
		}
	};
};

export const actions = {
	roles: (event) => {
		authorize(event, 'organisation.people.manage');
		return changeRoles(event, null);
	},
	update: async (event) => {
		authorize(event, 'organisation.edit');
		const parsed = parseForm(organisationSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'organisation');
		updateMainConnector(db(), actorOf(event), parsed.data);
		return answer('organisation', { saved: true });
	},
	addDesignated: async (event) => {
		authorize(event, 'organisation.edit');
		const parsed = parseForm(designatedPersonSchema, await event.request.formData());
		if (!parsed.ok) return invalid(parsed.errors, parsed.values, 'designated');
		addDesignatedPerson(db(), actorOf(event), parsed.data);
		return answer('designated', { saved: true });
	},
	removeDesignated: async (event) => {
		authorize(event, 'organisation.edit');
		const id = String((await event.request.formData()).get('id') ?? '');
		if (!removeDesignatedPerson(db(), actorOf(event), id)) error(404, m.error_not_found());
		return answer('designated', { removed: true });
	},
	invite: (event) => {
		authorize(event, 'organisation.people.manage');
		return invite(event, null);
	},
	deactivate: (event) => {
		authorize(event, 'organisation.people.manage');
		return deactivate(event, null);
	},
	reactivate: (event) => {
		authorize(event, 'organisation.people.manage');
		return reactivate(event, null);
	},
	resend: (event) => {
		authorize(event, 'organisation.people.manage');
		return resend(event, null);
	},
	resetTwoFactor: (event) => {
		authorize(event, 'organisation.people.manage');
		return resetTwoFactor(event, null);
	}
} satisfies Actions;
