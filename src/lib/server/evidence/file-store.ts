import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';

export interface StoredFile {
	/** Absolute path of the stored bytes. */
	storagePath: string;
	/** SHA-256 of the bytes, lower-case hex; lets an audit prove the file was not changed later. */
	sha256: string;
	size: number;
}

/** Folder names come from our code, never from users; the check stops a programming slip. */
const FOLDER_PATTERN = /^[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/i;

/**
 * Writes the bytes under a random name. Nothing in the path comes from the uploader, so a
 * hostile file name can neither escape the data folder nor overwrite another file.
 */
export function storeFile(dataDir: string, folder: string, bytes: Uint8Array): StoredFile {
	if (!FOLDER_PATTERN.test(folder)) throw new Error(`Invalid storage folder: ${folder}`);

	const id = randomUUID();
	// Two hex characters spread files over 256 sub-folders so no single folder grows huge.
	const directory = resolve(dataDir, folder, id.slice(0, 2));
	mkdirSync(directory, { recursive: true, mode: 0o750 });

	const storagePath = join(directory, id);
	// 'wx' fails rather than overwrites if the name somehow exists; stored evidence is never replaced.
	writeFileSync(storagePath, bytes, { flag: 'wx', mode: 0o640 });

	return {
		storagePath,
		sha256: createHash('sha256').update(bytes).digest('hex'),
		size: bytes.byteLength
	};
}

/**
 * Reads a stored file back, refusing any path outside the data folder. Paths come from the
 * database, but a tampered or mistaken row must not turn into reading arbitrary server files.
 * Symbolic links are resolved first so a link inside the folder cannot point outside it.
 */
export function readStoredFile(dataDir: string, storagePath: string): Buffer {
	const root = realpathSync(resolve(dataDir));
	const candidate = resolve(root, storagePath);
	if (!isInside(root, candidate)) throw new Error('Stored file path is outside the data folder');

	const real = realpathSync(candidate);
	if (!isInside(root, real)) throw new Error('Stored file path is outside the data folder');
	return readFileSync(real);
}

function isInside(root: string, target: string): boolean {
	const rel = relative(root, target);
	return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}

/**
 * A Content-Disposition header value (RFC 6266). Old clients read the ASCII `filename`; modern
 * ones prefer `filename*`, which carries the name exactly, å/ä/ö included.
 */
export function contentDisposition(kind: 'inline' | 'attachment', fileName: string): string {
	// Control characters (CR/LF above all) must never reach a header; format characters such as
	// the right-to-left override could make `fdp.exe` display as `exe.pdf`; a lone surrogate
	// would make encodeURIComponent throw.
	const name = fileName.replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '').trim() || 'file';

	const ascii =
		name
			// Fold "Lääkäri" to "Laakari" rather than "L__k_ri" where the letter has a plain base.
			.normalize('NFD')
			.replace(/\p{M}/gu, '')
			.replace(/["\\]/g, '')
			.replace(/[^\x20-\x7e]/g, '_')
			.trim() || 'file';

	return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/** encodeURIComponent leaves ' ( ) * unescaped, but RFC 5987 does not allow them unencoded. */
function encodeRfc5987(value: string): string {
	return encodeURIComponent(value).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
