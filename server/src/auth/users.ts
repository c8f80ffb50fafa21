import type { Role } from '@schoolping/shared';
import type { Db } from '../db/database.ts';

export interface UserRow {
  readonly id: number;
  readonly schoolId: number;
  readonly kind: 'staff' | 'parent';
  readonly misId: string | null;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
  readonly passwordHash: string | null;
  readonly totpSecret: string | null;
  readonly totpEnabled: boolean;
}

interface Row {
  id: number;
  school_id: number;
  kind: 'staff' | 'parent';
  mis_id: string | null;
  email: string;
  name: string;
  roles: string;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enabled: number;
}

function toUser(row: Row): UserRow {
  return {
    id: row.id,
    schoolId: row.school_id,
    kind: row.kind,
    misId: row.mis_id,
    email: row.email,
    name: row.name,
    roles: JSON.parse(row.roles) as Role[],
    passwordHash: row.password_hash,
    totpSecret: row.totp_secret,
    totpEnabled: row.totp_enabled === 1,
  };
}

export function userById(db: Db, id: number): UserRow | null {
  const row = db.prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
  return row ? toUser(row) : null;
}

export function userByEmail(db: Db, email: string): UserRow | null {
  const row = db.prepare('SELECT * FROM users WHERE email = ?').get(email.trim()) as Row | undefined;
  return row ? toUser(row) : null;
}

export function userForMis(
  db: Db,
  schoolId: number,
  kind: 'staff' | 'parent',
  misId: string,
): UserRow | null {
  const row = db
    .prepare('SELECT * FROM users WHERE school_id = ? AND kind = ? AND mis_id = ?')
    .get(schoolId, kind, misId) as Row | undefined;
  return row ? toUser(row) : null;
}

export interface NewUser {
  readonly schoolId: number;
  readonly kind: 'staff' | 'parent';
  readonly misId: string | null;
  readonly email: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

export function createUser(db: Db, user: NewUser, now: Date): UserRow {
  const id = Number(
    db
      .prepare(
        'INSERT INTO users (school_id, kind, mis_id, email, name, roles, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        user.schoolId,
        user.kind,
        user.misId,
        user.email.trim(),
        user.name,
        JSON.stringify(user.roles),
        now.toISOString(),
      ).lastInsertRowid,
  );
  const created = userById(db, id);
  if (!created) throw new Error('the user just created is missing');
  return created;
}

export function setPassword(db: Db, userId: number, passwordHash: string): void {
  db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
}

export function setRoles(db: Db, userId: number, roles: readonly Role[]): void {
  db.prepare('UPDATE users SET roles = ? WHERE id = ?').run(JSON.stringify(roles), userId);
}
