// The header's menu: links grouped by what people come to do, so a main connector's administrator
// sees six entries instead of sixteen. Which links a person sees is decided on the server (`can()`);
// this module only arranges them.

/** The links the server allows this person, by name (see routes/+layout.server.ts). */
export interface NavFlags {
	tenants: boolean;
	ownTenant: boolean;
	agreements: boolean;
	verify: boolean;
	certificates: boolean;
	instructions: boolean;
	myInstructions: boolean;
	training: boolean;
	myTraining: boolean;
	incidents: boolean;
	announcements: boolean;
	securityPlan: boolean;
	ownSecurityPlan: boolean;
	bindingPlan: boolean;
	organisation: boolean;
	services: boolean;
	prerequisites: boolean;
	audit: boolean;
	outbox: boolean;
	apiTokens: boolean;
	webhooks: boolean;
}

export type NavLinkKey = keyof NavFlags | 'home';
export type NavGroupKey = 'agreements' | 'compliance' | 'organisation' | 'administration';

export interface NavLink {
	key: NavLinkKey;
	href: string;
}

/** A single link, or a group shown as a disclosure menu. A group with one allowed link becomes that link. */
export type NavEntry = { kind: 'link'; link: NavLink } | { kind: 'group'; key: NavGroupKey; links: NavLink[] };

const LAYOUT: ({ link: NavLinkKey } | { group: NavGroupKey; links: NavLinkKey[] })[] = [
	{ link: 'home' },
	{ link: 'tenants' },
	{ link: 'ownTenant' },
	{ group: 'agreements', links: ['agreements', 'verify'] },
	{
		group: 'compliance',
		links: [
			'certificates',
			'instructions',
			'myInstructions',
			'training',
			'myTraining',
			'incidents',
			'announcements',
			'securityPlan',
			'ownSecurityPlan',
			'bindingPlan'
		]
	},
	{ group: 'organisation', links: ['organisation', 'services', 'prerequisites'] },
	{ group: 'administration', links: ['audit', 'outbox', 'apiTokens', 'webhooks'] }
];

function href(key: NavLinkKey, tenantId: string | null): string {
	switch (key) {
		case 'home':
			return '/';
		case 'ownTenant':
			return `/tenants/${tenantId}`;
		case 'myInstructions':
			return '/my-instructions';
		case 'myTraining':
			return '/my-training';
		case 'securityPlan':
		case 'ownSecurityPlan':
			return '/security-plan';
		case 'bindingPlan':
			return '/security-plan/binding';
		case 'apiTokens':
			return '/api-tokens';
		default:
			return `/${key}`;
	}
}

export function buildNavigation(flags: NavFlags, tenantId: string | null): NavEntry[] {
	const allowed = (key: NavLinkKey) => key === 'home' || flags[key];
	const entries: NavEntry[] = [];
	for (const item of LAYOUT) {
		if ('link' in item) {
			if (allowed(item.link)) entries.push({ kind: 'link', link: { key: item.link, href: href(item.link, tenantId) } });
			continue;
		}
		const links = item.links.filter(allowed).map((key) => ({ key, href: href(key, tenantId) }));
		if (links.length === 1) entries.push({ kind: 'link', link: links[0] });
		else if (links.length > 1) entries.push({ kind: 'group', key: item.group, links });
	}
	return entries;
}

/** Whether `pathname` is the page of `href` or below it (the home page only matches itself). */
export function isCurrentPath(pathname: string, href: string): boolean {
	return href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
}
