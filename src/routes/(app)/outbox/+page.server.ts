import type { PageServerLoad } from './$types';
import { db } from '$lib/server/db';
import { config } from '$lib/server/config';
import { authorize } from '$lib/server/http/guard';
import { listOutbox } from '$lib/server/mail/mailer';
import { pageNumber } from '$lib/schemas/fields';

const PAGE_SIZE = 20;

export const load: PageServerLoad = (event) => {
	authorize(event, 'outbox.view');
	const page = pageNumber.parse(event.url.searchParams.get('page'));
	const { messages, total } = listOutbox(db(), { page, pageSize: PAGE_SIZE });
	return { messages, total, page, pageSize: PAGE_SIZE, smtpConfigured: Boolean(config.smtpUrl) };
};
