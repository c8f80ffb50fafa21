import type { SchoolSettings, SchoolSettingsChange } from '@schoolping/shared';
import { audit } from '../auth/audit.ts';
import type { Db } from './database.ts';

export function readSchoolSettings(db: Db, schoolId: number): SchoolSettings {
  const row = db
    .prepare('SELECT late_after_hours, require_admin_mfa, email_includes_text FROM schools WHERE id = ?')
    .get(schoolId) as
    { late_after_hours: number; require_admin_mfa: number; email_includes_text: number } | undefined;
  if (!row) throw new Error(`No school ${String(schoolId)}`);
  return {
    lateAfterHours: row.late_after_hours,
    adminMfaRequired: row.require_admin_mfa === 1,
    emailIncludesText: row.email_includes_text === 1,
  };
}

const COLUMNS: Record<keyof SchoolSettings, string> = {
  lateAfterHours: 'late_after_hours',
  adminMfaRequired: 'require_admin_mfa',
  emailIncludesText: 'email_includes_text',
};

/**
 * Change a school's settings, each one that differs written and audited (who, which, from and to)
 * in one transaction. Returns the settings as they now are. Callers check the values with the
 * shared schema first (the table's CHECKs catch only what no school could mean).
 */
export function updateSchoolSettings(
  db: Db,
  schoolId: number,
  change: SchoolSettingsChange,
  actor: string,
  now: Date,
): SchoolSettings {
  return db.transaction(() => {
    const before = readSchoolSettings(db, schoolId);
    for (const key of Object.keys(COLUMNS) as (keyof SchoolSettings)[]) {
      const value = change[key];
      if (value === undefined || value === before[key]) continue;
      db.prepare(`UPDATE schools SET ${COLUMNS[key]} = ? WHERE id = ?`).run(
        typeof value === 'boolean' ? Number(value) : value,
        schoolId,
      );
      audit(
        db,
        {
          actor,
          action: 'setting-change',
          object: `school:${String(schoolId)}`,
          detail: { setting: key, from: String(before[key]), to: String(value) },
        },
        now,
      );
    }
    return readSchoolSettings(db, schoolId);
  })();
}
