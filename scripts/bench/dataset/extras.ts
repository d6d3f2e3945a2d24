/**
 * The rows the national data set does not make but some pages show one of: a disturbance notice,
 * an incident report, a checklist evidence file, a training record with its evidence and an
 * instruction attachment. One of each, for the sample tenant, with real files under the data
 * folder (the portal's DATA_DIR is the folder of the database), so every GET route is measured.
 */
import { dirname } from 'node:path';
import { and, desc, eq, isNotNull } from 'drizzle-orm';
import { openDatabase } from '../../../src/lib/server/db';
import {
	announcement,
	checklistItem,
	evidenceFile,
	incidentReport,
	incidentTenant,
	instructionVersion,
	trainingModule,
	trainingRecord
} from '../../../src/lib/server/db/schema';
import { storeFile } from '../../../src/lib/server/evidence/file-store';

/** A small valid PDF: what the evidence and attachment routes send back. */
const PDF = new TextEncoder().encode(
	'%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n'
);

export function addOneOfEach(path: string, sample: { tenantId: string; adminId: string; staffId: string; instructionId: string }): void {
	const dataDir = dirname(path);
	const db = openDatabase(path);
	const now = new Date();
	try {
		const stored = () => storeFile(dataDir, 'bench', PDF);
		db.transaction((tx) => {
			if (!tx.select({ id: announcement.id }).from(announcement).get())
				tx.insert(announcement)
					.values({
						id: crypto.randomUUID(),
						title: 'Huoltokatko',
						body: 'Palvelu on poissa käytöstä lauantaina kello 8–10.',
						createdBy: sample.adminId
					})
					.run();
			if (!tx.select({ id: incidentReport.id }).from(incidentReport).get()) {
				const id = crypto.randomUUID();
				tx.insert(incidentReport)
					.values({
						id,
						tenantId: sample.tenantId,
						kind: 'system_disturbance',
						noticedAt: now,
						description: 'Potilastietojärjestelmä ei vastannut puoleen tuntiin.',
						reporterId: sample.staffId,
						reporterName: 'Bench',
						reporterContact: 'bench@bench.test'
					})
					.run();
				tx.insert(incidentTenant).values({ reportId: id, tenantId: sample.tenantId }).run();
			}
			const item = tx.select({ id: checklistItem.id }).from(checklistItem).where(eq(checklistItem.tenantId, sample.tenantId)).get();
			if (item && !tx.select({ id: evidenceFile.id }).from(evidenceFile).get()) {
				const file = stored();
				tx.insert(evidenceFile)
					.values({
						id: crypto.randomUUID(),
						itemId: item.id,
						tenantId: sample.tenantId,
						fileName: 'todiste.pdf',
						mimeType: 'application/pdf',
						size: file.size,
						sha256: file.sha256,
						storagePath: file.storagePath,
						uploadedBy: sample.adminId
					})
					.run();
			}
			const module = tx.select({ id: trainingModule.id }).from(trainingModule).get();
			if (module && !tx.select({ id: trainingRecord.id }).from(trainingRecord).where(isNotNull(trainingRecord.evidencePath)).get()) {
				tx.insert(trainingRecord)
					.values({
						id: crypto.randomUUID(),
						moduleId: module.id,
						userId: sample.staffId,
						tenantId: sample.tenantId,
						completedOn: now.toISOString().slice(0, 10),
						confirmed: false,
						evidenceName: 'todistus.pdf',
						evidencePath: stored().storagePath,
						createdBy: sample.staffId
					})
					.run();
			}
			if (!tx.select({ id: instructionVersion.id }).from(instructionVersion).where(isNotNull(instructionVersion.attachmentPath)).get()) {
				const latest = tx
					.select({ id: instructionVersion.id })
					.from(instructionVersion)
					.where(eq(instructionVersion.instructionId, sample.instructionId))
					.orderBy(desc(instructionVersion.version))
					.get();
				const file = stored();
				if (latest)
					tx.update(instructionVersion)
						.set({ attachmentName: 'ohje.pdf', attachmentPath: file.storagePath, attachmentSha256: file.sha256 })
						.where(and(eq(instructionVersion.id, latest.id)))
						.run();
			}
		});
	} finally {
		db.$client.close();
	}
}
