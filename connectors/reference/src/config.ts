import { z } from 'zod';

export const referenceConfigSchema = z
  .object({
    /** a folder with accounts.jsonl and contacts.jsonl (one JSON record a line) */
    dataDir: z.string().min(1).optional(),
    /** or: generate this many synthetic contacts (benchmarks) */
    syntheticContacts: z.number().int().positive().optional(),
    pageSize: z.number().int().min(1).max(100_000).default(500),
    /** a secret, only to prove that secrets never reach logs or the database */
    apiKey: z.string().optional(),
  })
  .strict()
  .refine((c) => !!c.dataDir !== !!c.syntheticContacts, { message: 'set exactly one of dataDir or syntheticContacts' });

export type ReferenceConfig = z.infer<typeof referenceConfigSchema>;
