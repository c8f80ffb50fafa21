import type { FileMode, OneRosterVersion } from './context.ts';
import type { Issues } from './issues.ts';

/** The files this import reads. Core files decide the mode, and a bulk import needs them all. */
export const CORE_FILES: Readonly<Record<OneRosterVersion, readonly string[]>> = {
  '1.1': ['users', 'classes', 'enrollments'],
  // 1.2 moved each user's role out of users.csv into roles.csv.
  '1.2': ['users', 'roles', 'classes', 'enrollments'],
};
export const OPTIONAL_FILES = ['orgs', 'academicSessions', 'demographics'];

export interface Declaration {
  /** Null when the manifest's value is not bulk, delta or absent (reported already). */
  readonly mode: FileMode | 'absent' | null;
  readonly row: number;
}

/** One mode for the whole import: mixing a bulk file with a delta file has no clear meaning. */
export function decideMode(
  version: OneRosterVersion,
  file: string,
  declarations: ReadonlyMap<string, Declaration>,
  issues: Issues,
): FileMode | null {
  const core = CORE_FILES[version];
  const read = [...core, ...OPTIONAL_FILES].flatMap((name) => {
    const declared = declarations.get(name);
    const mode = declared?.mode;
    return declared && (mode === 'bulk' || mode === 'delta') ? [{ name, mode, row: declared.row }] : [];
  });
  const first = read[0];
  if (first === undefined) {
    issues.error(
      file,
      'nothing-to-import',
      `${file} lists none of ${core.join(', ')} as bulk or delta, so there is nothing to import.`,
    );
    return null;
  }
  const mode = (read.find((entry) => entry.name === 'users') ?? first).mode;
  let usable = true;
  for (const entry of read.filter((candidate) => candidate.mode !== mode)) {
    usable = false;
    issues.error(
      `${file}:${entry.row}:2`,
      'mixed-modes',
      `${file} lists ${entry.name}.csv as ${entry.mode} but the other files as ${mode}; export them all as bulk or all as delta.`,
    );
  }
  if (mode === 'bulk') {
    // A core file declared delta is reported above; one left out or absent is reported here.
    const left = core.filter((name) => {
      const declared = declarations.get(name);
      return declared === undefined || declared.mode === 'absent';
    });
    for (const name of left) {
      usable = false;
      const row = declarations.get(name)?.row;
      issues.error(
        row === undefined ? file : `${file}:${row}:2`,
        'missing-file',
        `A full (bulk) import needs ${name}.csv, but ${file} does not list it as bulk.`,
      );
    }
  }
  return usable ? mode : null;
}
