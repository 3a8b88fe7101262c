// Ingestion requests are processed asynchronously: each gets a requestId at once and is
// PROCESSING until it has been retrieved `polls` times or `ms` of emulator time passed (the same
// JobProcessing as offline user data jobs); then its work applies and it is SUCCESS,
// PARTIAL_SUCCESS or FAILED per destination, with error counts per ProcessingErrorReason.
import type { GoogleAdsState } from '../state.js';
import type { Destination } from './schemas.js';

export type RequestStatus = 'PROCESSING' | 'SUCCESS' | 'PARTIAL_SUCCESS' | 'FAILED';
export type IngestKind = 'audienceMembersIngestion' | 'audienceMembersRemoval' | 'eventsIngestion';

export interface DestinationOutcome {
  recordCount: number;
  errors: Map<string, number>; // ProcessingErrorReason → records
}

export interface IngestRequest {
  id: string;
  kind: IngestKind;
  destinations: Destination[];
  recordCount: number;
  createdAt: number;
  polls: number;
  /** applies the work for one destination; returns the per-reason failures */
  apply: (destination: Destination) => DestinationOutcome;
  outcomes?: DestinationOutcome[];
}

export class IngestRequests {
  private readonly byId = new Map<string, IngestRequest>();
  private next = 1;

  constructor(private readonly state: GoogleAdsState) {}

  add(kind: IngestKind, destinations: Destination[], recordCount: number, apply: IngestRequest['apply']): IngestRequest {
    const id = `dm-${String(this.next++).padStart(8, '0')}-${this.state.customerId}`;
    const r: IngestRequest = { id, kind, destinations, recordCount, createdAt: this.state.now(), polls: 0, apply };
    this.byId.set(id, r);
    return r;
  }

  get(id: string): IngestRequest | undefined {
    return this.byId.get(id);
  }

  all(): IngestRequest[] {
    return [...this.byId.values()];
  }

  /** one retrieve: counts a poll and completes the request when it is due */
  poll(r: IngestRequest): void {
    if (r.outcomes) return;
    r.polls++;
    const { polls, ms } = this.state.jobProcessing;
    if (r.polls >= polls || this.state.now() - r.createdAt >= ms) r.outcomes = r.destinations.map((d) => r.apply(d));
  }
}

export function statusOf(outcome: DestinationOutcome | undefined): RequestStatus {
  if (!outcome) return 'PROCESSING';
  let failed = 0;
  for (const n of outcome.errors.values()) failed += n;
  return failed === 0 ? 'SUCCESS' : failed >= outcome.recordCount ? 'FAILED' : 'PARTIAL_SUCCESS';
}
