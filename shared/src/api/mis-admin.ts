import { z } from 'zod/mini';

/*
 * The school admin's MIS sync screen: what the server answers, parsed by the PWA with the same
 * schemas, so neither side writes the shapes out twice.
 */

const issueSchema = z.object({ where: z.string(), code: z.string(), message: z.string() });

export const storedRunSchema = z.object({
  id: z.int(),
  source: z.enum(['xporter', 'oneroster', 'xporter-pull']),
  mode: z.nullable(z.enum(['full', 'delta'])),
  outcome: z.enum(['applied', 'held', 'rejected', 'failed']),
  receivedAt: z.string(),
  durationMs: z.number(),
  counts: z.object({
    added: z.int(),
    updated: z.int(),
    left: z.int(),
    unchanged: z.int(),
  }),
  warningCount: z.int(),
  errors: z.array(issueSchema),
});
export type StoredRunAnswer = z.infer<typeof storedRunSchema>;

/** GET /api/mis/status: ok, late or failing, and what to do when it is not ok. */
export const syncHealthSchema = z.object({
  status: z.enum(['ok', 'late', 'failing']),
  lastGoodSync: z.nullable(z.string()),
  nextExpectedBy: z.nullable(z.string()),
  lateAfterHours: z.number(),
  lastRun: z.nullable(storedRunSchema),
  heldSnapshots: z.int(),
  summary: z.string(),
  likelyCauses: z.array(z.string()),
  nextSteps: z.array(z.string()),
});
export type SyncHealthAnswer = z.infer<typeof syncHealthSchema>;

/** One day of the timeline: runs by outcome, and pupils the change log says joined or left. */
export const syncDaySchema = z.object({
  day: z.string(),
  applied: z.int(),
  notApplied: z.int(),
  pupilsJoined: z.int(),
  pupilsLeft: z.int(),
});
export type SyncDay = z.infer<typeof syncDaySchema>;

/** GET /api/mis/runs: the last fortnight by day, and the latest runs with their warnings. */
export const syncTimelineSchema = z.object({
  days: z.array(syncDaySchema),
  runs: z.array(z.extend(storedRunSchema, { warnings: z.array(issueSchema) })),
});
export type SyncTimeline = z.infer<typeof syncTimelineSchema>;

/** GET /api/mis/held: snapshots held for lacking many pupils, with who they would take off the roll. */
export const heldListSchema = z.object({
  held: z.array(
    z.object({
      id: z.int(),
      receivedAt: z.string(),
      /** On roll with no leave date and missing: what made it held. */
      missing: z.int(),
      onRoll: z.int(),
      /** Everyone applying it would take off the roll, and the first names of them (surname first). */
      removing: z.int(),
      names: z.array(z.string()),
    }),
  ),
});
export type HeldList = z.infer<typeof heldListSchema>;

/** POST /api/mis/ingest-key: the new key, shown this once; only its hash is kept. */
export const ingestKeyAnswerSchema = z.object({ key: z.string(), issuedAt: z.string() });

/** GET /api/mis/xod: the Xporter on Demand pull, without its secret. */
export const xodConnectionSchema = z.object({
  connection: z.nullable(
    z.object({
      xodEstab: z.string(),
      relyingParty: z.string(),
      everyHours: z.int(),
      lastPullAt: z.nullable(z.string()),
    }),
  ),
});
export type XodConnectionAnswer = z.infer<typeof xodConnectionSchema>;

/** POST /api/mis/xod: connect or change the pull. The secret is sealed at rest and never shown again. */
export const xodConnectRequestSchema = z.object({
  relyingParty: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  secret: z.string().check(z.minLength(1), z.maxLength(500)),
  xodEstab: z
    .string()
    .check(z.trim(), z.regex(/^\d{4,10}$/, 'the establishment number Groupcall knows the school by')),
  everyHours: z.int().check(z.minimum(1), z.maximum(24)),
});
