import * as m from '$lib/paraglide/messages.js';

type State = 'gaps' | 'ready' | 'waiting' | 'signed' | 'countersigned' | 'declined' | 'closed';

/** A campaign state as the page and the CSV export name it. */
export function campaignStateLabel(state: State): string {
	return {
		gaps: m.campaign_state_gaps,
		ready: m.campaign_state_ready,
		waiting: m.campaign_state_waiting,
		signed: m.campaign_state_signed,
		countersigned: m.campaign_state_countersigned,
		declined: m.campaign_state_declined,
		closed: m.campaign_state_closed
	}[state]();
}
