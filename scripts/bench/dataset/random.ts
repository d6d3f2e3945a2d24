/** Seeded randomness and Finnish-looking names, so every generated data set is the same. */

export type Random = () => number;

/** mulberry32: small, fast and good enough for spreading test data. */
export function seeded(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

/** Chooses a key by weight: `{ a: 3, b: 1 }` gives "a" three times as often as "b". */
export function weighted<K extends string>(random: Random, weights: Record<K, number>): K {
	const entries = Object.entries(weights) as [K, number][];
	let r = random() * entries.reduce((sum, [, w]) => sum + w, 0);
	for (const [key, w] of entries) {
		r -= w;
		if (r < 0) return key;
	}
	return entries[entries.length - 1][0];
}

/** A moment between `from` and `to` (ms since the epoch). */
export const between = (random: Random, from: number, to: number) => from + Math.floor(random() * Math.max(to - from, 0));

export const FIRST_NAMES = [
	'Aino',
	'Eino',
	'Helmi',
	'Väinö',
	'Sofia',
	'Leo',
	'Emma',
	'Onni',
	'Aada',
	'Elias',
	'Linnea',
	'Oliver',
	'Kerttu',
	'Juho',
	'Saara',
	'Matti',
	'Liisa',
	'Pekka',
	'Anna',
	'Mikko',
	'Johanna',
	'Antti',
	'Tiina',
	'Jukka',
	'Kaisa',
	'Timo',
	'Satu',
	'Ville',
	'Minna',
	'Erik',
	'Astrid',
	'Björn'
];
export const LAST_NAMES = [
	'Virtanen',
	'Korhonen',
	'Mäkinen',
	'Nieminen',
	'Mäkelä',
	'Hämäläinen',
	'Laine',
	'Heikkinen',
	'Koskinen',
	'Järvinen',
	'Lehtonen',
	'Lehtinen',
	'Saarinen',
	'Salminen',
	'Heinonen',
	'Niemi',
	'Heikkilä',
	'Kinnunen',
	'Salonen',
	'Turunen',
	'Salo',
	'Laitinen',
	'Tuominen',
	'Rantanen',
	'Karjalainen',
	'Jokinen',
	'Mattila',
	'Savolainen',
	'Lahtinen',
	'Ahonen',
	'Lindholm',
	'Berg'
];
const KINDS = [
	'Terveys',
	'Hoiva',
	'Fysioterapia',
	'Lääkärikeskus',
	'Kotihoito',
	'Hammaslääkäri',
	'Psykoterapia',
	'Palvelukoti',
	'Työterveys',
	'Kuntoutus',
	'Vastaanotto',
	'Perhepalvelut'
];
const FORMS = ['Oy', 'Oy', 'Oy', 'Ky', 'Tmi', 'Ab'];
export const CITIES: [string, string][] = [
	['Helsinki', '00100'],
	['Espoo', '02100'],
	['Tampere', '33100'],
	['Vantaa', '01300'],
	['Oulu', '90100'],
	['Turku', '20100'],
	['Jyväskylä', '40100'],
	['Kuopio', '70100'],
	['Lahti', '15100'],
	['Pori', '28100'],
	['Joensuu', '80100'],
	['Lappeenranta', '53100'],
	['Hämeenlinna', '13100'],
	['Vaasa', '65100'],
	['Seinäjoki', '60100'],
	['Rovaniemi', '96100'],
	['Mikkeli', '50100'],
	['Kotka', '48100'],
	['Salo', '24100'],
	['Porvoo', '06100'],
	['Kokkola', '67100'],
	['Hyvinkää', '05800'],
	['Rauma', '26100'],
	['Kajaani', '87100']
];

export function organisationName(random: Random, city: string): string {
	return `${pick(random, KINDS)} ${pick(random, LAST_NAMES)} ${pick(random, FORMS)}, ${city}`;
}

/** ASCII for e-mail addresses: ä → a, ö → o, å → a. */
export const ascii = (text: string) =>
	text
		.toLowerCase()
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '');

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2];

/** A valid Finnish business ID (Y-tunnus) made from a running number; null when no check digit exists. */
export function businessId(n: number): string | null {
	const digits = String(n).padStart(7, '0');
	const sum = WEIGHTS.reduce((s, w, i) => s + w * Number(digits[i]), 0);
	const remainder = sum % 11;
	if (remainder === 1) return null;
	return `${digits}-${remainder === 0 ? 0 : 11 - remainder}`;
}
