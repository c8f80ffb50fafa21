/** Identity timings. The defaults follow the school's expectations; each can be changed per server. */
export interface IdentitySettings {
  readonly staffIdleMinutes: number;
  readonly parentIdleMinutes: number;
  readonly staffAbsoluteHours: number;
  readonly parentAbsoluteHours: number;
  readonly activationDays: number;
  /** How long a parent whose children have all left may still sign in, read-only. */
  readonly leaverReadOnlyDays: number;
}

export const DEFAULT_IDENTITY: IdentitySettings = {
  staffIdleMinutes: 30,
  parentIdleMinutes: 30 * 24 * 60,
  staffAbsoluteHours: 12,
  parentAbsoluteHours: 90 * 24,
  activationDays: 30,
  leaverReadOnlyDays: 30,
};
