import { findClaimedAgreementId } from '../agreements/claim';
import { checkTemplate } from '../agreements/template';
import { checkFramework } from '../security-plan/framework';
import { parseCertificateFile } from '../certificates/x509';
import { sniffEvidenceFile } from '../evidence/file-sniff';
import { IMPORT_LIMITS, readTenantCsv } from '../import/tenant-csv';
import { readTenantSpreadsheet } from '../import/tenant-xlsx';
import { untrustedLimits } from './limits';

/**
 * Everything that reads an uploaded file's content runs through one of these, in a worker (see
 * `sandbox.ts`). Inputs and results cross the thread boundary by structured clone.
 */
export const untrustedTasks = {
	pdfClaim: (bytes: Uint8Array) => findClaimedAgreementId(bytes, untrustedLimits.inflatedBytes()),
	certificateFile: (bytes: Uint8Array) => parseCertificateFile(bytes),
	templateCheck: (source: string) => checkTemplate(source),
	/** A framework file of the information-security plan (JSON), checked with the line of each problem. */
	frameworkCheck: (source: string) => checkFramework(source),
	evidenceType: (input: { bytes: Uint8Array; fileName: string }) => sniffEvidenceFile(input.bytes, input.fileName),
	/** The text a preview sent back (a CSV file's own, or a workbook's cells as CSV). */
	tenantCsv: (bytes: Uint8Array) => readTenantCsv(bytes, { bytes: IMPORT_LIMITS.textBytes, rows: IMPORT_LIMITS.rows }),
	/** An uploaded tenant file, CSV or XLSX. */
	tenantSpreadsheet: (bytes: Uint8Array) =>
		readTenantSpreadsheet(bytes, { ...IMPORT_LIMITS, inflatedBytes: untrustedLimits.inflatedBytes() })
};

export type UntrustedTask = keyof typeof untrustedTasks;
export type TaskInput<T extends UntrustedTask> = Parameters<(typeof untrustedTasks)[T]>[0];
export type TaskOutput<T extends UntrustedTask> = Awaited<ReturnType<(typeof untrustedTasks)[T]>>;
