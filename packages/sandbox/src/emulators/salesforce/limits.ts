// Request-size limits the real Salesforce enforces, with the figures it documents. Both can be
// lowered per emulator (tests), never switched off.
// - getUpdated / getDeleted: "There is a limit of 600,000 IDs returned from this resource. If more
//   than 600,000 IDs are found, EXCEEDED_ID_LIMIT is returned" (REST API Developer Guide, sObject
//   Get Deleted / Get Updated).
// - "In each REST call, the maximum length for the combined URI and headers is 16,384 bytes. A
//   request exceeding this limit returns a 431 Request Header Fields Too Large error. If the URI
//   itself exceeds this limit, the request returns a 414 URI Too Long error." (Salesforce Help,
//   knowledge article 000386264).

export const REPLICATION_ID_LIMIT = 600_000;
export const URI_AND_HEADERS_LIMIT = 16_384;

export interface EmulatorLimits {
  /** ids one getUpdated / getDeleted call may return */
  replicationIds: number;
  /** bytes of the request URI plus its headers */
  uriAndHeaders: number;
}

export const DEFAULT_LIMITS: EmulatorLimits = { replicationIds: REPLICATION_ID_LIMIT, uriAndHeaders: URI_AND_HEADERS_LIMIT };
