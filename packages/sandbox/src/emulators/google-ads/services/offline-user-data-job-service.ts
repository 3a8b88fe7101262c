// OfflineUserDataJobService for Customer Match: create a job for a CRM-based list, add
// create/remove operations of SHA-256 hashed emails, run it. Running answers a long-running
// operation that is NOT done: the job is RUNNING and applies its operations later (see
// GoogleAdsState.pollJobs), as Google processes jobs asynchronously. Every method answers
// CUSTOMER_NOT_ALLOWLISTED_FOR_THIS_FEATURE for a developer token off the upload allow-list.
import { status as GrpcStatus } from '@grpc/grpc-js';
import { z } from 'zod';
import { customerOf, type CallContext } from '../call-context.js';
import { adsError, GoogleAdsCallError, operationLocation, partialFailureStatus, type AdsError } from '../failure.js';
import { unaryHandler } from '../handlers.js';
import type { OfflineJobRecord, UserDataOp } from '../state.js';
import { ADS_VERSION } from '../protos.js';

const sha256Hex = /^[0-9a-f]{64}$/;
const userData = z.object({ user_identifiers: z.array(z.object({ hashed_email: z.string().optional() }).passthrough()).default([]) }).passthrough();
const createJobRequest = z
  .object({
    customer_id: z.string().default(''),
    job: z
      .object({
        type: z.string().optional(),
        external_id: z.union([z.string(), z.number()]).optional(),
        customer_match_user_list_metadata: z.object({ user_list: z.string().optional() }).passthrough().optional(),
      })
      .passthrough()
      .default({}),
    validate_only: z.boolean().default(false),
  })
  .passthrough();
const addOperationsRequest = z
  .object({
    resource_name: z.string().default(''),
    enable_partial_failure: z.boolean().default(false),
    operations: z.array(z.object({ create: userData.optional(), remove: userData.optional(), remove_all: z.boolean().optional() }).passthrough()).default([]),
    validate_only: z.boolean().default(false),
  })
  .passthrough();
const runJobRequest = z.object({ resource_name: z.string().default(''), validate_only: z.boolean().default(false) }).passthrough();

export function offlineUserDataJobServiceHandlers(ctx: CallContext) {
  const { state } = ctx;
  const cid = state.customerId;
  const listPattern = new RegExp(`^customers/${cid}/userLists/(\\d+)$`);
  const jobPattern = new RegExp(`^customers/${cid}/offlineUserDataJobs/(\\d+)$`);
  const jobOf = (resourceName: string): OfflineJobRecord => {
    const job = state.jobs.get(jobPattern.exec(resourceName)?.[1] ?? '');
    if (!job) throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [adsError({ request_error: 'RESOURCE_NOT_FOUND' }, `Job '${resourceName}' was not found.`)]);
    return job;
  };
  const notPending = () =>
    new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [adsError({ offline_user_data_job_error: 'JOB_ALREADY_STARTED' }, 'The job has already been run.')]);

  return {
    CreateOfflineUserDataJob: unaryHandler(ctx, (r) => String(r.customer_id ?? ''), (raw) => {
      const req = createJobRequest.parse(raw);
      if (req.job.type !== 'CUSTOMER_MATCH_USER_LIST') {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [
          adsError({ offline_user_data_job_error: 'INVALID_USER_LIST_TYPE' }, 'Only CUSTOMER_MATCH_USER_LIST jobs are emulated.'),
        ]);
      }
      const listId = listPattern.exec(req.job.customer_match_user_list_metadata?.user_list ?? '')?.[1];
      if (!listId || !state.userLists.has(listId)) {
        throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, [
          adsError({ offline_user_data_job_error: 'INVALID_USER_LIST_ID' }, 'The user list does not exist.', {
            location: { field_path_elements: [{ field_name: 'job' }, { field_name: 'customer_match_user_list_metadata' }, { field_name: 'user_list' }] },
          }),
        ]);
      }
      if (req.validate_only) return { resource_name: '' };
      const job = state.createJob(listId, req.job.external_id === undefined ? undefined : String(req.job.external_id));
      return { resource_name: `customers/${cid}/offlineUserDataJobs/${job.id}` };
    }, 'customer_match'),

    AddOfflineUserDataJobOperations: unaryHandler(ctx, (r) => customerOf(String(r.resource_name ?? '')) ?? '', (raw, requestId) => {
      const req = addOperationsRequest.parse(raw);
      const job = jobOf(req.resource_name);
      if (job.status !== 'PENDING') throw notPending();
      const errors: AdsError[] = [];
      const ops: UserDataOp[] = [];
      req.operations.forEach((op, index) => {
        const fail = (code: Record<string, string>, message: string, ...field: string[]) =>
          errors.push(adsError(code, message, { location: operationLocation('operations', index, ...field) }));
        if (op.remove_all) return fail({ offline_user_data_job_error: 'REMOVE_ALL_NOT_SUPPORTED' }, 'remove_all is not emulated.');
        const action = op.create ? 'create' : op.remove ? 'remove' : undefined;
        const data = op.create ?? op.remove;
        if (!action || !data) return fail({ request_error: 'OPERATION_REQUIRED' }, 'Each operation needs create or remove.');
        if (data.user_identifiers.length === 0) return fail({ offline_user_data_job_error: 'MISSING_USER_IDENTIFIER' }, 'No user identifier.', action);
        const found: UserDataOp[] = [];
        for (const id of data.user_identifiers) {
          if (id.hashed_email === undefined) {
            return fail({ offline_user_data_job_error: 'INCOMPATIBLE_USER_IDENTIFIER' }, 'Only hashed_email identifiers are emulated.', action, 'user_identifiers');
          }
          if (!sha256Hex.test(id.hashed_email)) {
            return fail(
              { offline_user_data_job_error: 'INVALID_SHA256_FORMAT' },
              'hashed_email must be the lowercase hex SHA-256 of a normalised email.',
              action,
              'user_identifiers',
              'hashed_email',
            );
          }
          found.push({ action, hashedEmail: id.hashed_email });
        }
        ops.push(...found);
      });
      if (!req.enable_partial_failure && errors.length) throw new GoogleAdsCallError(GrpcStatus.INVALID_ARGUMENT, errors);
      if (!req.validate_only) job.operations.push(...ops);
      return { partial_failure_error: partialFailureStatus(errors, requestId) };
    }, 'customer_match'),

    RunOfflineUserDataJob: unaryHandler(ctx, (r) => customerOf(String(r.resource_name ?? '')) ?? '', (raw) => {
      const req = runJobRequest.parse(raw);
      const job = jobOf(req.resource_name);
      if (job.status !== 'PENDING') throw notPending();
      if (!req.validate_only) state.runJob(job);
      return {
        name: `customers/${cid}/operations/${job.id}`,
        done: false,
        metadata: { type_url: `type.googleapis.com/google.ads.googleads.${ADS_VERSION}.resources.OfflineUserDataJobMetadata`, value: Buffer.alloc(0) },
      };
    }, 'customer_match'),
  };
}
