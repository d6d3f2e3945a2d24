import type { Actions, PageServerLoad } from './$types';
import { getLocale } from '$lib/paraglide/runtime';
import { db } from '$lib/server/db';
import { authorize } from '$lib/server/http/guard';
import { listNotifications, markAllRead } from '$lib/server/notifications/notifications';
import { describeNotification } from '$lib/server/reminders/reminders';

export const load: PageServerLoad = (event) => {
	const user = authorize(event, 'notifications.view');
	const locale = getLocale();
	return {
		notifications: listNotifications(db(), user.id).map((n) => ({
			id: n.id,
			text: describeNotification(n, locale),
			link: n.link,
			at: n.createdAt,
			unread: n.readAt === null
		}))
	};
};

export const actions = {
	read: (event) => {
		const user = authorize(event, 'notifications.view');
		markAllRead(db(), user.id);
		return { read: true };
	}
} satisfies Actions;
