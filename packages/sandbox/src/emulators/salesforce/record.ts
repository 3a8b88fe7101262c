// One stored record. `values` holds every field under its canonical API name; datetimes are epoch
// ms here and rendered to Salesforce's string format on the way out.
import type { SObjectName } from './ids.js';

export interface SfRecord {
  type: SObjectName;
  id: string;
  values: Record<string, unknown>;
  /** set when IsDeleted (recycle bin); used by getDeleted */
  deletedAt?: number;
  /** market id (acc_…, con_…, opp_…) when the record came from the simulated market */
  marketId?: string;
}

export type RecordLookup = (id: string) => SfRecord | undefined;
