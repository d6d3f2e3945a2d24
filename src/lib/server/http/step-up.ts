import * as m from '$lib/paraglide/messages.js';
import type { StepUpRefused } from '$lib/server/auth/step-up';
import { formatTime } from '$lib/i18n/format';
import type { FieldErrors } from './forms';

/** Why a signature, notice or rescission was not confirmed, beside the field concerned. */
export function stepUpErrors(result: StepUpRefused): FieldErrors {
	if (result.reason === 'wrong_password') return { password: m.error_current_password_wrong() };
	if (result.reason === 'no_password') return { password: m.step_up_no_password() };
	if (result.reason === 'wrong_code') return { code: m.two_factor_code_wrong() };
	return { [result.field]: m.login_throttled({ time: formatTime(result.retryAt) }) };
}
