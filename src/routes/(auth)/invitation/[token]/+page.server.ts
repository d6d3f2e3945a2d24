import type { Actions, PageServerLoad } from './$types';
import { loadTokenHolder, setPasswordFromLink } from '$lib/server/http/set-password';

export const load: PageServerLoad = ({ params }) => ({ person: loadTokenHolder(params.token, 'invitation') });

export const actions = { default: (event) => setPasswordFromLink(event, 'invitation') } satisfies Actions;
