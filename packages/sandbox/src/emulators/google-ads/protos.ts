// Loads the Google Ads v24 service definitions (for the grpc-js server) and the compiled protobuf
// messages of google-ads-node (to encode a GoogleAdsFailure: proto-loader only yields service
// serializers, not message encoders).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as protoLoader from '@grpc/proto-loader';
import type { GrpcObject, ServiceClientConstructor } from '@grpc/grpc-js';
import { loadPackageDefinition } from '@grpc/grpc-js';

const require = createRequire(import.meta.url);
const googleAdsNodeMain = require.resolve('google-ads-node');
// google-gax is a dependency of google-ads-node (not of the sandbox): resolve it from there.
const googleGaxMain = createRequire(googleAdsNodeMain).resolve('google-gax');

export const adsProtoDir = join(dirname(googleAdsNodeMain), '../protos');
export const commonProtoDir = join(dirname(googleGaxMain), '../protos');

export const ADS_VERSION = 'v24';
export const FAILURE_TRAILER_KEY = `google.ads.googleads.${ADS_VERSION}.errors.googleadsfailure-bin`;
export const FAILURE_TYPE_URL = `type.googleapis.com/google.ads.googleads.${ADS_VERSION}.errors.GoogleAdsFailure`;

const serviceFiles = [
  'google_ads_service',
  'conversion_upload_service',
  'user_list_service',
  'offline_user_data_job_service',
].map((s) => `google/ads/googleads/${ADS_VERSION}/services/${s}.proto`);

export interface EmulatedServices {
  GoogleAdsService: ServiceClientConstructor;
  ConversionUploadService: ServiceClientConstructor;
  UserListService: ServiceClientConstructor;
  OfflineUserDataJobService: ServiceClientConstructor;
}

let loaded: EmulatedServices | undefined;

/** Service definitions, loaded once per process (about half a second). */
export function loadServices(): EmulatedServices {
  if (loaded) return loaded;
  const definition = protoLoader.loadSync(serviceFiles, {
    includeDirs: [adsProtoDir, commonProtoDir],
    keepCase: true, // google-ads-api speaks snake_case
    longs: String,
    enums: String,
    defaults: false,
    oneofs: true,
  });
  const root = loadPackageDefinition(definition) as GrpcObject;
  const services = ((((root.google as GrpcObject).ads as GrpcObject).googleads as GrpcObject)[ADS_VERSION] as GrpcObject)
    .services as GrpcObject;
  loaded = {
    GoogleAdsService: services.GoogleAdsService as ServiceClientConstructor,
    ConversionUploadService: services.ConversionUploadService as ServiceClientConstructor,
    UserListService: services.UserListService as ServiceClientConstructor,
    OfflineUserDataJobService: services.OfflineUserDataJobService as ServiceClientConstructor,
  };
  return loaded;
}

interface Encodable {
  fromObject(o: unknown): unknown;
  encode(m: unknown): { finish(): Uint8Array };
  decode(b: Uint8Array): unknown;
  toObject(m: unknown, o?: unknown): Record<string, unknown>;
}

let failureType: Encodable | undefined;

/** google-ads-node's compiled GoogleAdsFailure message (the same one the client decodes with). */
export function googleAdsFailureType(): Encodable {
  if (!failureType) {
    // google-ads-node loads google-gax / google-auth: never let them probe the cloud metadata server
    process.env.METADATA_SERVER_DETECTION = 'none';
    const { protos } = require('google-ads-node') as {
      protos: { google: { ads: { googleads: Record<string, { errors: { GoogleAdsFailure: Encodable } }> } } };
    };
    failureType = protos.google.ads.googleads[ADS_VERSION].errors.GoogleAdsFailure;
  }
  return failureType;
}
