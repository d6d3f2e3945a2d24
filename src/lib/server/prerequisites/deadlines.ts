import type { ProviderType, ServiceSector } from '../../domain';

/**
 * Statutory dates for storing social welfare documents in Kanta (Valvira, seed 001). Public
 * providers (and private ones producing services for them) join stage by stage; private providers
 * serving their own clients have a single obligation date plus the later special cases.
 */
export interface KantaDeadline {
	code: string;
	date: string;
	sector: ServiceSector;
	providerType: ProviderType;
}

export const KANTA_DEADLINES: KantaDeadline[] = [
	{ code: 'families_working_age_elderly', date: '2024-09-01', sector: 'social_welfare', providerType: 'public_on_behalf' },
	{ code: 'child_welfare', date: '2025-03-01', sector: 'social_welfare', providerType: 'public_on_behalf' },
	{ code: 'disability_services', date: '2025-09-01', sector: 'social_welfare', providerType: 'public_on_behalf' },
	{ code: 'substance_abuse', date: '2026-03-01', sector: 'social_welfare', providerType: 'public_on_behalf' },
	{ code: 'family_law', date: '2026-09-01', sector: 'social_welfare', providerType: 'public_on_behalf' },
	{ code: 'video_audio', date: '2029-10-01', sector: 'social_welfare', providerType: 'public_on_behalf' },
	{ code: 'private_obligation', date: '2026-01-01', sector: 'social_welfare', providerType: 'private' },
	{ code: 'substance_abuse', date: '2026-03-01', sector: 'social_welfare', providerType: 'private' },
	{ code: 'video_audio', date: '2029-10-01', sector: 'social_welfare', providerType: 'private' }
];

export function deadlinesFor(sector: ServiceSector, providerType: ProviderType): KantaDeadline[] {
	return KANTA_DEADLINES.filter((d) => d.sector === sector && d.providerType === providerType);
}
