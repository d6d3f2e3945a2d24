import { isIP } from 'node:net';

/** This machine by name or loopback address. */
export function isLocalHostname(hostname: string): boolean {
	const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}

function isLoopback(ip: string): boolean {
	return ip === '::1' || /^127\./.test(ip) || ip === '::ffff:127.0.0.1';
}

/**
 * Whether a resolved address may receive webhooks: not private, loopback, link-local, unspecified,
 * carrier-grade NAT, multicast or reserved (so a webhook cannot be aimed at the internal network).
 */
export function isPublicAddress(address: string): boolean {
	const ip = address.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
	if (isIP(ip) === 4) {
		const [a, b] = ip.split('.').map(Number);
		if (a === 0 || a === 10 || a === 127 || a >= 224) return false;
		if (a === 169 && b === 254) return false;
		if (a === 172 && b >= 16 && b <= 31) return false;
		if (a === 192 && b === 168) return false;
		if (a === 100 && b >= 64 && b <= 127) return false;
		if (a === 198 && (b === 18 || b === 19)) return false;
		return true;
	}
	if (isIP(ip) === 6) {
		if (ip === '::' || ip === '::1') return false;
		if (/^f[cd]/.test(ip)) return false; // unique local
		if (/^fe[89ab]/.test(ip)) return false; // link-local
		if (/^ff/.test(ip)) return false; // multicast
		return true;
	}
	return false;
}
