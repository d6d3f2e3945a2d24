import type { PlanEntryInput } from './plan';

/**
 * For tests: a requirement described by the plan's own organisation, with no owner or dates; a test
 * overrides what it is about.
 */
export const planEntry = (overrides: Partial<PlanEntryInput> = {}): PlanEntryInput => ({
	description: 'Described in the quality handbook.',
	ownerId: null,
	status: 'described',
	lastReviewedOn: null,
	nextReviewOn: null,
	responsibleParty: 'main_connector',
	responsibleName: '',
	agreementReference: '',
	...overrides
});
