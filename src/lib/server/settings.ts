import { eq } from 'drizzle-orm';
import type { Db, DbOrTx } from './db';
import { setting } from './db/schema';
import type { CertificateKind } from '../domain';
import { audit, type Actor } from './actor';

/** Administrator-tunable values and their defaults. */
export interface Settings {
	/** Days before expiry at which reminders go out; 0 means on the day it expires. */
	reminderThresholds: number[];
	/** How many days before expiry a renewal must be ordered, per certificate kind. */
	orderLeadDays: Record<CertificateKind, number>;
}

export const DEFAULT_SETTINGS: Settings = {
	reminderThresholds: [90, 30, 14, 7, 1, 0],
	// DVV needs time to deliver: server and system certificates are ordered a month ahead, cards sooner.
	orderLeadDays: {
		server: 30,
		system_signature: 30,
		server_test: 21,
		system_signature_test: 21,
		professional_card: 45,
		staff_card: 45,
		replacement_card: 14,
		security_assessment: 120
	}
};

export function getSettings(db: DbOrTx): Settings {
	const stored = Object.fromEntries(
		db
			.select()
			.from(setting)
			.all()
			.map((row) => [row.key, row.value])
	);
	return {
		reminderThresholds: (stored.reminderThresholds as number[] | undefined) ?? DEFAULT_SETTINGS.reminderThresholds,
		orderLeadDays: {
			...DEFAULT_SETTINGS.orderLeadDays,
			...((stored.orderLeadDays as Partial<Settings['orderLeadDays']> | undefined) ?? {})
		}
	};
}

export function saveSetting<K extends keyof Settings>(db: Db, actor: Actor, key: K, value: Settings[K], now = new Date()): void {
	db.transaction((tx) => {
		tx.insert(setting)
			.values({ key, value, updatedAt: now })
			.onConflictDoUpdate({ target: setting.key, set: { value, updatedAt: now } })
			.run();
		audit(tx, actor, { action: 'settings.update', targetType: 'setting', targetId: key, summary: JSON.stringify(value) });
	});
}

export function clearSetting(db: Db, key: keyof Settings): void {
	db.delete(setting).where(eq(setting.key, key)).run();
}
