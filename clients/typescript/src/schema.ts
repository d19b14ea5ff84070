/**
 * Generated from openapi/openapi.json by openapi-typescript (`npm run openapi`). Do not edit:
 * clients/typescript/test/schema.test.ts fails while this file differs from what the document gives.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process is alive */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The process is alive */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Health"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/readyz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: listeners are up; reports each subsystem, and the trap bus (whose state does not change the status) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Every subsystem is up or disabled */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description At least one subsystem is not up */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Readiness"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/get": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SNMP GET (like snmpget)
         * @description Reads the given instances. A missing instance is a varbind with type NoSuchObject or NoSuchInstance, not an error (v2c/v3). OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed. Many agents: give `targets` instead of `host` (the other fields are every target's defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`. Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1); `/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId); `/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`; `/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve; `/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SnmpGetRequest"];
                };
            };
            responses: {
                /** @description The varbinds, in request order */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SnmpVarbindsResponse"] | components["schemas"]["SnmpGetManyResponse"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Gateway timeout: the peer did not answer */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/getnext": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SNMP GETNEXT (like snmpgetnext)
         * @description Reads the instance after each given OID. OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed. Many agents: give `targets` instead of `host` (the other fields are every target's defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`. Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1); `/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId); `/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`; `/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve; `/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SnmpGetRequest"];
                };
            };
            responses: {
                /** @description The next varbind for each OID */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SnmpVarbindsResponse"] | components["schemas"]["SnmpGetNextManyResponse"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Gateway timeout: the peer did not answer */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SNMP GETBULK (like snmpbulkget); v2c and v3 only
         * @description The first nonRepeaters OIDs get one GETNEXT each; the others up to maxRepetitions successors, in the agent's order (row by row). A tooBig answer is retried with fewer repetitions. OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed. Many agents: give `targets` instead of `host` (the other fields are every target's defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`. Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1); `/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId); `/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`; `/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve; `/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SnmpBulkRequest"];
                };
            };
            responses: {
                /** @description The varbinds, in the order the agent sent them */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SnmpVarbindsResponse"] | components["schemas"]["SnmpBulkManyResponse"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Gateway timeout: the peer did not answer */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/walk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SNMP walk of a subtree (like snmpbulkwalk / snmpwalk)
         * @description GETBULK on v2c/v3, GETNEXT on v1. Stops at the end of the subtree, on endOfMibView, on a non-increasing OID (reported in `stopReason` and `nonIncreasingOid`, never looped) and after maxVarbinds (`truncated: true`). A JSON walk reserves its maxVarbinds in the server's walk buffer before it starts; when the buffer (SNMP_WALK_BUFFER_VARBINDS) or the walk slots (SNMP_MAX_WALKS) are taken it answers 503 with Retry-After: stream with NDJSON, which buffers nothing, or lower maxVarbinds. With `Accept: application/x-ndjson` the varbinds stream one JSON object per line as they arrive (written 16 K characters at a time, and at most 20 ms after the reply that brought them); the last line is `{"summary": {truncated, stopReason, nonIncreasingOid?, elapsedMs}}`, or `{"error": <problem>}` when the walk failed after the first varbind (errors before it answer problem+json with their status). With targets, each walk is collected whole (JSON), at most SNMP_MAX_WALKS at once. OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed. Many agents: give `targets` instead of `host` (the other fields are every target's defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`. Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1); `/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId); `/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`; `/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve; `/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SnmpWalkRequest"];
                };
            };
            responses: {
                /** @description The subtree */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SnmpWalkResponse"] | components["schemas"]["SnmpWalkManyResponse"];
                        "application/x-ndjson": {
                            /**
                             * @description Numeric OID, no leading dot
                             * @example 1.3.6.1.2.1.1.5.0
                             */
                            oid: string;
                            /**
                             * @description Longest known MIB prefix plus the instance suffix; absent when no loaded MIB knows the OID
                             * @example SNMPv2-MIB::sysName.0
                             */
                            name?: string;
                            /** @enum {string} */
                            type: "Boolean" | "Integer" | "OctetString" | "Null" | "ObjectIdentifier" | "IpAddress" | "Counter32" | "Gauge32" | "TimeTicks" | "Opaque" | "Counter64" | "Unsigned32" | "NoSuchObject" | "NoSuchInstance" | "EndOfMibView";
                            /**
                             * @description Integer/Counter32/Gauge32/TimeTicks: number; Counter64: decimal string; OctetString: text, or hex when not printable UTF-8 (then `encoding` is "hex"); ObjectIdentifier: dotted; IpAddress: dotted; Opaque: hex; NoSuchObject/NoSuchInstance/EndOfMibView: null
                             * @example router1
                             */
                            value: string | number | boolean | null;
                            /**
                             * @description Present when `value` is hex-encoded bytes
                             * @enum {string}
                             */
                            encoding?: "hex";
                            /** @description MIB name of an ObjectIdentifier value, when known */
                            valueName?: string;
                            /**
                             * @description The MIB's name for an enumerated INTEGER value (ifOperStatus 1 → up)
                             * @example up
                             */
                            enum?: string;
                            /** @description BITS: the names of the bits that are set */
                            bits?: string[];
                            /**
                             * @description The value as the MIB's textual convention shows it, when that differs from `value`: DISPLAY-HINT (MacAddress/PhysAddress aa:bb:…, InetAddressIPv6…), DateAndTime as ISO 8601, InetAddress as an address
                             * @example 02:fc:00:00:00:01
                             */
                            display?: string;
                            /**
                             * @description TimeTicks also as an ISO 8601 duration
                             * @example P3DT4H5M6.78S
                             */
                            duration?: string;
                        };
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Gateway timeout: the peer did not answer */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/table": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SNMP table with decoded indexes (like snmptable)
         * @description Reads a table row by row: every column walked together with GETBULK (maxRepetitions rows per round trip; GETNEXT on v1), so it costs no more round trips than snmptable. Each row has its instance suffix (`index`), the INDEX objects decoded from it (`indexValues`: integers, IpAddress, fixed and variable-length strings, OBJECT IDENTIFIER, the IMPLIED last index, InetAddressType + InetAddress), and one value per column (`values`, null when the agent returned no cell), with the MIB's names for enumerated values (`enum`), OBJECT IDENTIFIER values (`valueName`) and textual conventions (`display`) beside. `augment` joins tables that AUGMENT this one or share its INDEX (IF-MIB::ifXTable). A table no loaded MIB describes is read by number: rows keyed by the raw suffix, columns by sub-identifier. A JSON table reserves maxRows × columns in the walk buffer, like a JSON walk. With `Accept: application/x-ndjson`: first `{table, index, columns}`, then one row per line as the rows complete, then `{"summary": {truncated, elapsedMs}}` (or `{"error": <problem>}`). OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed. Many agents: give `targets` instead of `host` (the other fields are every target's defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`. Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1); `/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId); `/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`; `/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve; `/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SnmpTableRequest"];
                };
            };
            responses: {
                /** @description The table */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SnmpTableResponse"] | components["schemas"]["SnmpTableManyResponse"];
                        "application/x-ndjson": {
                            /**
                             * @description The instance suffix (numeric)
                             * @example 2
                             */
                            index: string;
                            /**
                             * @description The INDEX objects' values decoded from the suffix: integers as numbers; IpAddress dotted; InetAddress by its InetAddressType; octet strings by their DISPLAY-HINT (MacAddress 00:1b:…), else text when printable, else hex; OBJECT IDENTIFIER dotted. Empty when the MIBs do not describe the table or the suffix does not fit its INDEX
                             * @example {
                             *       "ifIndex": 2
                             *     }
                             */
                            indexValues: {
                                [key: string]: number | string;
                            };
                            /**
                             * @description One value per column, as in varbinds (Counter64 a decimal string, hex for binary octets); null when the agent returned no cell
                             * @example {
                             *       "ifDescr": "eth0",
                             *       "ifOperStatus": 1
                             *     }
                             */
                            values: {
                                [key: string]: string | number | boolean | null;
                            };
                            /** @description Columns whose value is hex-encoded bytes */
                            encoding?: {
                                [key: string]: "hex";
                            };
                            /** @description Columns' enumerated values by name (ifOperStatus → up) */
                            enum?: {
                                [key: string]: string;
                            };
                            /** @description BITS columns: the names of the bits set */
                            bits?: {
                                [key: string]: string[];
                            };
                            /** @description OBJECT IDENTIFIER columns: the MIB name of the value */
                            valueName?: {
                                [key: string]: string;
                            };
                            /** @description Columns shown as their textual convention says (MacAddress, DateAndTime as ISO 8601, InetAddress…) */
                            display?: {
                                [key: string]: string;
                            };
                            /** @description TimeTicks columns as ISO 8601 durations */
                            duration?: {
                                [key: string]: string;
                            };
                        };
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Gateway timeout: the peer did not answer */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/set": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * SNMP SET (like snmpset); needs the write scope
         * @description Each value is checked against its type before anything is sent. The agent's refusal (notWritable, wrongType, readOnly, …) is a 422 with `snmp: { status, index, oid }`. OIDs are numeric (`1.3.6.1.2.1.1.5.0`, leading dot allowed) or MIB names (`SNMPv2-MIB::sysName.0`, `sysName.0`, `IF-MIB::ifDescr.2`). Community and keys are never logged nor echoed. Many agents: give `targets` instead of `host` (the other fields are every target's defaults) and optionally `concurrency`; the answer is `{ results: [{ target, ok: true, …the single-target body } | { target, ok: false, error: <problem> }], elapsedMs }` in input order, each target with its own timeout, target policy and credential-profile check. With `Accept: application/x-ndjson` one result per line as it completes (with its `index` in `targets`), then `{"summary": {targets, ok, failed, elapsedMs}}`. Errors (problem+json): `/problems/snmp-timeout` (504) the agent did not answer within timeoutMs × (retries+1); `/problems/snmp-auth` (502) an SNMPv3 report rejected the credentials, `snmp.reason` says why (unknownUserName, wrongDigest, decryptionError, notInTimeWindow, unsupportedSecurityLevel, unknownEngineId); `/problems/snmp-error` (422) the agent answered an error-status, in `snmp: { status, index, oid }`; `/problems/snmp-protocol` (502) the answer was malformed or out of order; `/problems/target-unresolvable` (502) the name does not resolve; `/problems/target-denied` (403) the target policy refuses the address; `/problems/validation` and `/problems/invalid-request` (400) the body is invalid or names an unknown MIB object.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["SnmpSetRequest"];
                };
            };
            responses: {
                /** @description The varbinds as the agent confirmed them */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["SnmpVarbindsResponse"] | components["schemas"]["SnmpSetManyResponse"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Gateway timeout: the peer did not answer */
                504: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/mibs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The loaded MIB modules
         * @description Every loaded module with where it came from (bundled: the standard set shipped with the service; dir: SNMP_MIB_DIRS; uploaded: POST /snmp/mibs) and how many objects it defines, and the files or modules that could not be loaded, with the reason.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description The modules */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MibList"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Load MIB modules without a restart
         * @description One module as the raw body (`curl --data-binary @ACME-MIB.txt -H 'content-type: text/plain'`; `Content-Disposition: attachment; filename=…` names it in errors), or several as multipart form files. They are parsed and checked together: any syntax error, IMPORTS of a module that is not loaded (bundled, SNMP_MIB_DIRS, uploaded before, or in the same upload), or an object whose OID does not resolve refuses the whole upload with 422 and `mibErrors: [{file, line, module?, message, missingImports?}]`. A module of the same name as a loaded one replaces it. Loaded modules are kept in MIB_STORE_DIR, and loaded again at start. The body is bounded by BODY_LIMIT_BYTES, the uploaded modules by SNMP_MIB_UPLOAD_MAX_MODULES.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "text/plain": string;
                    "multipart/form-data": {
                        file?: string[];
                    };
                };
            };
            responses: {
                /** @description The modules now loaded */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MibUploadResult"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The peer answered with an error status, or the content (a MIB module) cannot be processed */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/mibs/{module}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove an uploaded MIB module
         * @description Unloads an uploaded module and deletes it from MIB_STORE_DIR. 404 when no module has the name; 409 for a bundled or SNMP_MIB_DIRS module, or one that other loaded modules import (delete those first). When the upload had replaced a bundled module, the bundled one is back.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    module: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Removed */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Conflict: the resource cannot be changed as asked */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/translate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Translate between MIB names and OIDs (like snmptranslate)
         * @description Give `name` (IF-MIB::ifOperStatus.2, ifOperStatus, sysName.0) or `oid` (1.3.6.1.2.1.2.2.1.8.2): the answer has the OID, the name with its instance, the syntax (with its textual conventions, DISPLAY-HINT, enums and sizes), access, status, units, description, and for table entries the INDEX or AUGMENTS. An OID no loaded MIB knows any prefix of is 404; an unknown name is 400.
         */
        get: {
            parameters: {
                query?: {
                    /** @description A MIB name, with an instance or not (IF-MIB::ifOperStatus.2); give name or oid */
                    name?: string;
                    /** @description A numeric OID (1.3.6.1.2.1.2.2.1.8.2); give name or oid */
                    oid?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description What the MIB says */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MibTranslation"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Not found */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/traps": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stream received SNMP traps and informs as server-sent events, with filters and resume
         * @description Server-sent events: one `event: trap` message per SNMP trap or inform received on the trap port (TRAP_PORT), with `id:` its event id (opaque; it increases and never repeats, also across restarts) and `data:` a TrapEvent as one line of JSON. A `: heartbeat` comment is sent when the stream has been idle for TRAP_HEARTBEAT_MS.
         *
         *     **Replicas.** With TRAP_BUS=redis every replica appends the notifications it receives to one Redis stream and streams all of them, in the stream's order, with the stream's ids: a subscriber on any replica sees every notification received by any replica, and may resume on any replica.
         *
         *     **Resume.** Reconnect with `Last-Event-ID` (EventSource does this itself) or `?since=<id>`: the events after that id that match the filters come first, then live ones, without gap or duplicate. If the events after the id are no longer held (older than TRAP_BUFFER events in memory mode; trimmed by TRAP_STREAM_MAXLEN or TRAP_STREAM_MAX_AGE_MS in the Redis stream), the first message is `event: gap` with `{"missed": N}` (`null` when the number is unknown), then the oldest event still held. An id that is not one of this stream (from an earlier run of the service in memory mode) gives `{"missed": null}` followed by everything held.
         *
         *     **Slow clients.** Each subscriber has a queue of at most TRAP_SUBSCRIBER_QUEUE events and TRAP_SUBSCRIBER_QUEUE_BYTES bytes, and all queues together hold at most TRAP_QUEUES_MAX_BYTES; the receiver never waits for a client, and the service sends a client only as fast as it reads. When its queue is full the client is not disconnected: once it has drained its queue it catches up by reading the buffer from where it was, then continues live. Only if it falls behind what the buffer holds (TRAP_BUFFER events, TRAP_BUFFER_BYTES bytes) does it get `event: gap` with the number of events lost, and continues from the oldest buffered event.
         *
         *     **Batching.** Events that keep coming are sent to a client several to a write, at most every 5 ms; an event after a quiet spell is sent at once.
         *
         *     Notifications whose event JSON exceeds TRAP_MAX_EVENT_BYTES are dropped and counted (`netprobe_traps_dropped_total{reason="tooLarge"}`). HEAD answers the stream's headers without subscribing.
         *
         *     At most TRAP_MAX_SUBSCRIBERS streams are open at once (503 beyond). When the service shuts down it ends each stream after a final comment.
         *
         *     **Swagger UI cannot show a stream**: its Try it out waits for the response to end, which a stream never does. Use curl: `curl -N -H 'Authorization: Bearer <token>' 'http://127.0.0.1:8080/snmp/traps?version=2c'`, or an EventSource in a browser (the console at /console, when served, does this).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Only notifications whose UDP sender (`source.address`) is this IP address or in this CIDR range (IPv4 or IPv6), e.g. 127.0.0.1 or 10.0.0.0/8 */
                    source?: string;
                    /** @description Only notifications whose `origin.address` (snmpTrapAddress.0, or a v1 agent-addr other than the sender: the device behind a trap forwarder or NAT) is this address or in this range, e.g. 192.0.2.7; events without an origin do not match */
                    origin?: string;
                    /** @description Only notifications whose trapOid is this OID or under it, on whole arcs; numeric or a MIB name (IF-MIB::linkDown, 1.3.6.1.6.3.1.1.5) */
                    trapOid?: string;
                    /** @description Only notifications of this SNMP version */
                    version?: "1" | "3" | "2c";
                    /** @description Resume after this event id (as Last-Event-ID does; the header wins when both are given) */
                    since?: string;
                };
                header?: {
                    /** @description Resume after this event id */
                    "last-event-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description An endless text/event-stream of TrapStreamMessage */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/event-stream": components["schemas"]["TrapStreamMessage"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/traps/recent": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The newest traps and informs as JSON, newest last, for callers that poll (with TRAP_BUS=redis: read from the shared stream) */
        get: {
            parameters: {
                query?: {
                    /** @description Only notifications whose UDP sender (`source.address`) is this IP address or in this CIDR range (IPv4 or IPv6), e.g. 127.0.0.1 or 10.0.0.0/8 */
                    source?: string;
                    /** @description Only notifications whose `origin.address` (snmpTrapAddress.0, or a v1 agent-addr other than the sender: the device behind a trap forwarder or NAT) is this address or in this range, e.g. 192.0.2.7; events without an origin do not match */
                    origin?: string;
                    /** @description Only notifications whose trapOid is this OID or under it, on whole arcs; numeric or a MIB name (IF-MIB::linkDown, 1.3.6.1.6.3.1.1.5) */
                    trapOid?: string;
                    /** @description Only notifications of this SNMP version */
                    version?: "1" | "3" | "2c";
                    /** @description At most this many events */
                    limit?: number;
                    /** @description Only events after this id, oldest first (for polling: pass the last id you got) */
                    since?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Buffered events that match the filters */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TrapRecentResponse"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/snmp/traps/forwarders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The webhook forwarders (TRAP_FORWARDERS) and their state on this replica: queue, deliveries, retries, drops, dead letters, last success and error
         * @description Secrets are never shown: not the signing secret, not header values, not the query string of the URL. With TRAP_BUS=redis the queue is the consumer group of the forwarder on the shared stream (its backlog, the same on every replica) and the counters are this replica's.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description One entry per configured forwarder, in configuration order */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TrapForwarders"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/dhcp/discover": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Find DHCP servers: DISCOVER (broadcast or relayed), every offer decoded, optional REQUEST/ACK/RELEASE
         * @description Answers 200 even when no server answered (offers: []). Port 67/68 in use or missing privileges answer 503. In broadcast mode the optional DHCPRELEASE is broadcast on the interface with ciaddr and the server id set, because the interface has no address to unicast from; other servers ignore it by its server id.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["DhcpDiscoverRequest"];
                };
            };
            responses: {
                /** @description The probe ran; offers may be empty */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["DhcpDiscoverResult"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Bad gateway: the peer rejected the request, sent garbage, or the target does not resolve */
                502: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unavailable: the service cannot do this now */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/socket/probe": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Probe TCP, TLS or UDP ports: state, phase timings, send/expect, certificates; one target or a batch
         * @description What `nc`, `openssl s_client` and `nmap` answer, as JSON. A failed probe (closed port, timeout, untrusted certificate, no match) is a 200 result with `ok: false`, `state` and `error.code`; only an invalid request is an HTTP error.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": components["schemas"]["ProbeRequest"];
                };
            };
            responses: {
                /** @description One ProbeResult for `host`, or a ProbeBatchResult for `targets` */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ProbeResponseBody"];
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Missing or invalid bearer token */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Forbidden (scope or target policy) */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Request body too large */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description The body must be sent as application/json */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Rate limited */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics (text exposition format) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Metrics in the Prometheus text format */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Invalid request (validation issues, malformed JSON, unknown names) */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
                /** @description Unexpected error (no internals disclosed) */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Health: {
            /** @enum {string} */
            status: "ok";
        };
        /** @description RFC 9457 problem details */
        Problem: {
            /** @example /problems/snmp-timeout */
            type: string;
            title: string;
            status: number;
            detail?: string;
            /** @description Validation issues (400 only) */
            errors?: {
                path: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        Readiness: {
            ready: boolean;
            subsystems: {
                [key: string]: {
                    /** @enum {string} */
                    state: "up" | "down" | "disabled" | "starting";
                    detail?: string;
                };
            };
            trapBus: components["schemas"]["TrapBusStatus"];
            warnings?: string[];
        };
        /** @description The trap bus. Its state does not change the /readyz status: a replica whose Redis is unreachable keeps receiving traps (they wait in its backlog) and serving the rest of the API, so it must stay in the UDP Service. */
        TrapBusStatus: {
            /**
             * @description TRAP_BUS: memory (one process) or redis (replicas share a Redis stream)
             * @enum {string}
             */
            engine: "memory" | "redis";
            /**
             * @description up; connecting (not connected to Redis yet since start); down (Redis unreachable, retrying)
             * @enum {string}
             */
            state: "up" | "connecting" | "down";
            /**
             * @description Why it is not up
             * @example connect ECONNREFUSED 127.0.0.1:6379
             */
            detail?: string;
            /** @description Events received by this replica and waiting to be appended to the stream (TRAP_BUS_BACKLOG, TRAP_BUS_BACKLOG_BYTES) */
            backlog: {
                events: number;
                bytes: number;
            };
        };
        SnmpVarbindsResponse: {
            varbinds: components["schemas"]["Varbind"][];
            /** @description Time spent on the SNMP exchange, including DNS */
            elapsedMs: number;
        };
        Varbind: {
            /**
             * @description Numeric OID, no leading dot
             * @example 1.3.6.1.2.1.1.5.0
             */
            oid: string;
            /**
             * @description Longest known MIB prefix plus the instance suffix; absent when no loaded MIB knows the OID
             * @example SNMPv2-MIB::sysName.0
             */
            name?: string;
            /** @enum {string} */
            type: "Boolean" | "Integer" | "OctetString" | "Null" | "ObjectIdentifier" | "IpAddress" | "Counter32" | "Gauge32" | "TimeTicks" | "Opaque" | "Counter64" | "Unsigned32" | "NoSuchObject" | "NoSuchInstance" | "EndOfMibView";
            /**
             * @description Integer/Counter32/Gauge32/TimeTicks: number; Counter64: decimal string; OctetString: text, or hex when not printable UTF-8 (then `encoding` is "hex"); ObjectIdentifier: dotted; IpAddress: dotted; Opaque: hex; NoSuchObject/NoSuchInstance/EndOfMibView: null
             * @example router1
             */
            value: string | number | boolean | null;
            /**
             * @description Present when `value` is hex-encoded bytes
             * @enum {string}
             */
            encoding?: "hex";
            /** @description MIB name of an ObjectIdentifier value, when known */
            valueName?: string;
            /**
             * @description The MIB's name for an enumerated INTEGER value (ifOperStatus 1 → up)
             * @example up
             */
            enum?: string;
            /** @description BITS: the names of the bits that are set */
            bits?: string[];
            /**
             * @description The value as the MIB's textual convention shows it, when that differs from `value`: DISPLAY-HINT (MacAddress/PhysAddress aa:bb:…, InetAddressIPv6…), DateAndTime as ISO 8601, InetAddress as an address
             * @example 02:fc:00:00:00:01
             */
            display?: string;
            /**
             * @description TimeTicks also as an ISO 8601 duration
             * @example P3DT4H5M6.78S
             */
            duration?: string;
        };
        /** @description The answer to a request with `targets` */
        SnmpGetManyResponse: {
            /** @description In the order of `targets` */
            results: ({
                varbinds: components["schemas"]["Varbind"][];
                /** @description Time spent on the SNMP exchange, including DNS */
                elapsedMs: number;
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: true;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
            } | {
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: false;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                error: components["schemas"]["Problem"];
            })[];
            elapsedMs: number;
        };
        /**
         * @example {
         *       "host": "127.0.0.1",
         *       "community": "public",
         *       "oids": [
         *         "SNMPv2-MIB::sysName.0",
         *         "1.3.6.1.2.1.1.3.0"
         *       ]
         *     }
         */
        SnmpGetRequest: {
            /**
             * @description The agent (one target); give `targets` instead for many
             * @example 127.0.0.1
             */
            host?: string;
            /** @default 161 */
            port?: number;
            /** @description Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context */
            credentials?: string;
            /**
             * @description "1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)
             * @default 2c
             * @enum {string}
             */
            version?: "1" | "3" | "2c";
            /**
             * Format: password
             * @description v1/v2c community; never logged nor echoed
             * @default public
             */
            community?: string;
            user?: components["schemas"]["SnmpUser"];
            /**
             * @description v3 context name
             * @default
             */
            context?: string;
            /**
             * @description Per attempt
             * @default 2000
             */
            timeoutMs?: number;
            /** @default 1 */
            retries?: number;
            /** @description Many agents in one request (at most 1000, SNMP_MAX_TARGETS), instead of host. The answer is `{ results: [...] }` in the same order, one result per target, ok or with its own error */
            targets?: components["schemas"]["SnmpTargetEntry"][];
            /** @description With targets: how many are polled at once. Default 64; at most 256 (SNMP_MAX_TARGET_CONCURRENCY) */
            concurrency?: number;
            oids: string[];
        };
        /** @description An SNMPv3 USM user (required for version 3) */
        SnmpUser: {
            name: string;
            /**
             * @default noAuthNoPriv
             * @enum {string}
             */
            level?: "noAuthNoPriv" | "authNoPriv" | "authPriv";
            /**
             * @description Any case, with or without dashes: MD5, SHA (SHA-1), SHA-224, SHA-256, SHA-384, SHA-512
             * @enum {string}
             */
            authProtocol?: "md5" | "sha" | "sha224" | "sha256" | "sha384" | "sha512";
            /**
             * Format: password
             * @description authKey; never logged nor echoed
             */
            authKey?: string;
            /**
             * @description Any case: DES, AES (AES-128), AES-256 (aes256b: Blumenthal key extension, as the Net-SNMP tools) or AES-256-C (aes256r: Reeder key extension, as Cisco)
             * @enum {string}
             */
            privProtocol?: "des" | "aes" | "aes256b" | "aes256r";
            /**
             * Format: password
             * @description privKey; never logged nor echoed
             */
            privKey?: string;
        };
        /** @description One target of a many-target request. The request's own fields are the defaults; a target that names any of credentials, version, community, user or context brings its own credentials and inherits none of the request's. */
        SnmpTargetEntry: {
            /** @example 127.0.0.1 */
            host: string;
            /** @description Default: the request's port (161) */
            port?: number;
            /** @description Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context */
            credentials?: string;
            /**
             * @description "1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)
             * @default 2c
             * @enum {string}
             */
            version?: "1" | "3" | "2c";
            /**
             * Format: password
             * @description v1/v2c community; never logged nor echoed
             * @default public
             */
            community?: string;
            user?: components["schemas"]["SnmpUser"];
            /**
             * @description v3 context name
             * @default
             */
            context?: string;
            timeoutMs?: number;
            retries?: number;
        };
        /** @description The answer to a request with `targets` */
        SnmpGetNextManyResponse: {
            /** @description In the order of `targets` */
            results: ({
                varbinds: components["schemas"]["Varbind"][];
                /** @description Time spent on the SNMP exchange, including DNS */
                elapsedMs: number;
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: true;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
            } | {
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: false;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                error: components["schemas"]["Problem"];
            })[];
            elapsedMs: number;
        };
        /** @description The answer to a request with `targets` */
        SnmpBulkManyResponse: {
            /** @description In the order of `targets` */
            results: ({
                varbinds: components["schemas"]["Varbind"][];
                /** @description Time spent on the SNMP exchange, including DNS */
                elapsedMs: number;
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: true;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
            } | {
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: false;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                error: components["schemas"]["Problem"];
            })[];
            elapsedMs: number;
        };
        /**
         * @example {
         *       "host": "127.0.0.1",
         *       "community": "public",
         *       "oids": [
         *         "IF-MIB::ifDescr"
         *       ],
         *       "maxRepetitions": 10
         *     }
         */
        SnmpBulkRequest: {
            /**
             * @description The agent (one target); give `targets` instead for many
             * @example 127.0.0.1
             */
            host?: string;
            /** @default 161 */
            port?: number;
            /** @description Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context */
            credentials?: string;
            /**
             * @description "1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)
             * @default 2c
             * @enum {string}
             */
            version?: "1" | "3" | "2c";
            /**
             * Format: password
             * @description v1/v2c community; never logged nor echoed
             * @default public
             */
            community?: string;
            user?: components["schemas"]["SnmpUser"];
            /**
             * @description v3 context name
             * @default
             */
            context?: string;
            /**
             * @description Per attempt
             * @default 2000
             */
            timeoutMs?: number;
            /** @default 1 */
            retries?: number;
            /** @description Many agents in one request (at most 1000, SNMP_MAX_TARGETS), instead of host. The answer is `{ results: [...] }` in the same order, one result per target, ok or with its own error */
            targets?: components["schemas"]["SnmpTargetEntry"][];
            /** @description With targets: how many are polled at once. Default 64; at most 256 (SNMP_MAX_TARGET_CONCURRENCY) */
            concurrency?: number;
            oids: string[];
            /** @default 0 */
            nonRepeaters?: number;
            /** @default 10 */
            maxRepetitions?: number;
        };
        SnmpWalkResponse: {
            /** @description True when maxVarbinds stopped the walk before the end of the subtree */
            truncated: boolean;
            /**
             * @description Why the walk ended
             * @enum {string}
             */
            stopReason: "endOfSubtree" | "endOfMibView" | "nonIncreasingOid" | "maxVarbinds";
            /** @description Present when the agent returned an OID not after the previous one; the walk stops there instead of looping */
            nonIncreasingOid?: {
                previous: string;
                received: string;
            };
            elapsedMs: number;
            varbinds: components["schemas"]["Varbind"][];
        };
        /** @description The answer to a request with `targets` */
        SnmpWalkManyResponse: {
            /** @description In the order of `targets` */
            results: ({
                /** @description True when maxVarbinds stopped the walk before the end of the subtree */
                truncated: boolean;
                /**
                 * @description Why the walk ended
                 * @enum {string}
                 */
                stopReason: "endOfSubtree" | "endOfMibView" | "nonIncreasingOid" | "maxVarbinds";
                /** @description Present when the agent returned an OID not after the previous one; the walk stops there instead of looping */
                nonIncreasingOid?: {
                    previous: string;
                    received: string;
                };
                elapsedMs: number;
                varbinds: components["schemas"]["Varbind"][];
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: true;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
            } | {
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: false;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                error: components["schemas"]["Problem"];
            })[];
            elapsedMs: number;
        };
        /**
         * @example {
         *       "host": "127.0.0.1",
         *       "community": "public",
         *       "oid": "SNMPv2-MIB::system"
         *     }
         */
        SnmpWalkRequest: {
            /**
             * @description The agent (one target); give `targets` instead for many
             * @example 127.0.0.1
             */
            host?: string;
            /** @default 161 */
            port?: number;
            /** @description Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context */
            credentials?: string;
            /**
             * @description "1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)
             * @default 2c
             * @enum {string}
             */
            version?: "1" | "3" | "2c";
            /**
             * Format: password
             * @description v1/v2c community; never logged nor echoed
             * @default public
             */
            community?: string;
            user?: components["schemas"]["SnmpUser"];
            /**
             * @description v3 context name
             * @default
             */
            context?: string;
            /**
             * @description Per attempt
             * @default 2000
             */
            timeoutMs?: number;
            /** @default 1 */
            retries?: number;
            /** @description Many agents in one request (at most 1000, SNMP_MAX_TARGETS), instead of host. The answer is `{ results: [...] }` in the same order, one result per target, ok or with its own error */
            targets?: components["schemas"]["SnmpTargetEntry"][];
            /** @description With targets: how many are polled at once. Default 64; at most 256 (SNMP_MAX_TARGET_CONCURRENCY) */
            concurrency?: number;
            /**
             * @description Root of the subtree to walk
             * @example IF-MIB::ifTable
             */
            oid: string;
            /** @default 25 */
            maxRepetitions?: number;
            /**
             * @description Stop after this many varbinds (then `truncated` is true); bounded by the server limit SNMP_MAX_VARBINDS
             * @default 10000
             */
            maxVarbinds?: number;
            /**
             * @description Walk this many ranges of the subtree at once (v2c/v3; 1: one GETBULK after another). The subtree is split where the loaded MIBs know its branches and table columns; the answer is the same as the serial walk. At most SNMP_WALK_MAX_PARALLEL, which also caps the walk requests in flight to one agent
             * @default 1
             * @example 1
             */
            parallel?: number;
        };
        SnmpTableResponse: {
            table: {
                name?: string;
                oid: string;
            };
            index: components["schemas"]["SnmpTableIndexObject"][];
            columns: components["schemas"]["SnmpTableColumn"][];
            /** @description In index order */
            rows: components["schemas"]["SnmpTableRow"][];
            /** @description True when maxRows (or SNMP_MAX_VARBINDS) stopped the walk before the end of the table */
            truncated: boolean;
            elapsedMs: number;
        };
        SnmpTableIndexObject: {
            /** @example ifIndex */
            name: string;
            /** @example InterfaceIndex */
            syntax: string;
            /**
             * @description The IMPLIED last index: no length before it
             * @enum {boolean}
             */
            implied?: true;
        };
        SnmpTableColumn: {
            /**
             * @description The key in `values` (the sub-identifier for a table the MIBs do not describe)
             * @example ifOperStatus
             */
            name: string;
            oid: string;
            /** @example INTEGER */
            syntax: string;
            access?: string;
            units?: string;
            /**
             * @example {
             *       "up": 1,
             *       "down": 2
             *     }
             */
            enums?: {
                [key: string]: number;
            };
        };
        SnmpTableRow: {
            /**
             * @description The instance suffix (numeric)
             * @example 2
             */
            index: string;
            /**
             * @description The INDEX objects' values decoded from the suffix: integers as numbers; IpAddress dotted; InetAddress by its InetAddressType; octet strings by their DISPLAY-HINT (MacAddress 00:1b:…), else text when printable, else hex; OBJECT IDENTIFIER dotted. Empty when the MIBs do not describe the table or the suffix does not fit its INDEX
             * @example {
             *       "ifIndex": 2
             *     }
             */
            indexValues: {
                [key: string]: number | string;
            };
            /**
             * @description One value per column, as in varbinds (Counter64 a decimal string, hex for binary octets); null when the agent returned no cell
             * @example {
             *       "ifDescr": "eth0",
             *       "ifOperStatus": 1
             *     }
             */
            values: {
                [key: string]: string | number | boolean | null;
            };
            /** @description Columns whose value is hex-encoded bytes */
            encoding?: {
                [key: string]: "hex";
            };
            /** @description Columns' enumerated values by name (ifOperStatus → up) */
            enum?: {
                [key: string]: string;
            };
            /** @description BITS columns: the names of the bits set */
            bits?: {
                [key: string]: string[];
            };
            /** @description OBJECT IDENTIFIER columns: the MIB name of the value */
            valueName?: {
                [key: string]: string;
            };
            /** @description Columns shown as their textual convention says (MacAddress, DateAndTime as ISO 8601, InetAddress…) */
            display?: {
                [key: string]: string;
            };
            /** @description TimeTicks columns as ISO 8601 durations */
            duration?: {
                [key: string]: string;
            };
        };
        /** @description The answer to a request with `targets` */
        SnmpTableManyResponse: {
            /** @description In the order of `targets` */
            results: ({
                table: {
                    name?: string;
                    oid: string;
                };
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                columns: components["schemas"]["SnmpTableColumn"][];
                /** @description In index order */
                rows: components["schemas"]["SnmpTableRow"][];
                /** @description True when maxRows (or SNMP_MAX_VARBINDS) stopped the walk before the end of the table */
                truncated: boolean;
                elapsedMs: number;
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: true;
            } | {
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: false;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                error: components["schemas"]["Problem"];
            })[];
            elapsedMs: number;
        };
        /**
         * @example {
         *       "host": "127.0.0.1",
         *       "community": "public",
         *       "table": "IF-MIB::ifTable",
         *       "augment": [
         *         "IF-MIB::ifXTable"
         *       ],
         *       "columns": [
         *         "ifDescr",
         *         "ifOperStatus",
         *         "ifName"
         *       ]
         *     }
         */
        SnmpTableRequest: {
            /**
             * @description The agent (one target); give `targets` instead for many
             * @example 127.0.0.1
             */
            host?: string;
            /** @default 161 */
            port?: number;
            /** @description Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context */
            credentials?: string;
            /**
             * @description "1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)
             * @default 2c
             * @enum {string}
             */
            version?: "1" | "3" | "2c";
            /**
             * Format: password
             * @description v1/v2c community; never logged nor echoed
             * @default public
             */
            community?: string;
            user?: components["schemas"]["SnmpUser"];
            /**
             * @description v3 context name
             * @default
             */
            context?: string;
            /**
             * @description Per attempt
             * @default 2000
             */
            timeoutMs?: number;
            /** @default 1 */
            retries?: number;
            /** @description Many agents in one request (at most 1000, SNMP_MAX_TARGETS), instead of host. The answer is `{ results: [...] }` in the same order, one result per target, ok or with its own error */
            targets?: components["schemas"]["SnmpTargetEntry"][];
            /** @description With targets: how many are polled at once. Default 64; at most 256 (SNMP_MAX_TARGET_CONCURRENCY) */
            concurrency?: number;
            /**
             * @description The table (IF-MIB::ifTable), its entry (ifEntry), or a numeric OID; a table no loaded MIB describes is read by number (its entry is <oid>.1)
             * @example IF-MIB::ifTable
             */
            table: string;
            /**
             * @description Only these columns (names); default every readable column
             * @example [
             *       "ifDescr",
             *       "ifOperStatus"
             *     ]
             */
            columns?: string[];
            /**
             * @description Tables joined on the same index: they AUGMENT the table (IF-MIB::ifXTable for ifTable) or share its INDEX
             * @example [
             *       "IF-MIB::ifXTable"
             *     ]
             */
            augment?: string[];
            /**
             * @description Stop after this many rows (then `truncated` is true); rows × columns are bounded by SNMP_MAX_VARBINDS
             * @default 10000
             */
            maxRows?: number;
            /**
             * @description Rows asked for in each GETBULK (all columns at once); halved when the agent answers tooBig
             * @default 25
             */
            maxRepetitions?: number;
        };
        /** @description The answer to a request with `targets` */
        SnmpSetManyResponse: {
            /** @description In the order of `targets` */
            results: ({
                varbinds: components["schemas"]["Varbind"][];
                /** @description Time spent on the SNMP exchange, including DNS */
                elapsedMs: number;
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: true;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
            } | {
                target: {
                    host: string;
                    port: number;
                };
                /** @enum {boolean} */
                ok: false;
                /** @description NDJSON only: the position in `targets` */
                index?: number;
                error: components["schemas"]["Problem"];
            })[];
            elapsedMs: number;
        };
        /**
         * @example {
         *       "host": "127.0.0.1",
         *       "community": "private",
         *       "varbinds": [
         *         {
         *           "oid": "SNMPv2-MIB::sysContact.0",
         *           "type": "OctetString",
         *           "value": "noc@example.net"
         *         }
         *       ]
         *     }
         */
        SnmpSetRequest: {
            /** @example 127.0.0.1 */
            host: string;
            /** @default 161 */
            port?: number;
            /** @description Name of a credential profile configured on the server (snmp.credentials), e.g. "core", used instead of version/community/user/context */
            credentials?: string;
            /**
             * @description "1", "2c" or "3" (the numbers 1, 2 and 3 are accepted too)
             * @default 2c
             * @enum {string}
             */
            version?: "1" | "3" | "2c";
            /**
             * Format: password
             * @description v1/v2c community; never logged nor echoed
             * @default public
             */
            community?: string;
            user?: components["schemas"]["SnmpUser"];
            /**
             * @description v3 context name
             * @default
             */
            context?: string;
            /**
             * @description Per attempt
             * @default 2000
             */
            timeoutMs?: number;
            /** @default 1 */
            retries?: number;
            varbinds: components["schemas"]["SnmpSetVarbind"][];
        };
        /**
         * @example {
         *       "oid": "SNMPv2-MIB::sysContact.0",
         *       "type": "OctetString",
         *       "value": "noc@example.net"
         *     }
         */
        SnmpSetVarbind: {
            /** @example SNMPv2-MIB::sysName.0 */
            oid: string;
            /**
             * @description Omitted: taken from the object's SYNTAX in the loaded MIBs, as snmpset's `=` does; an INTEGER with named numbers then also takes the name ("down")
             * @enum {string}
             */
            type?: "Integer" | "OctetString" | "ObjectIdentifier" | "IpAddress" | "Counter32" | "Gauge32" | "TimeTicks" | "Opaque" | "Counter64" | "Unsigned32";
            /** @description Integer types: number; Counter64: decimal string; OctetString: text or { "hex": "0a1b" }; Opaque: { "hex": … }; ObjectIdentifier: dotted; IpAddress: dotted IPv4 */
            value: string | number | {
                hex: string;
            };
            /**
             * @description As a GET answers binary values: `value` is then hex, so a varbind read can be written back as it came
             * @enum {string}
             */
            encoding?: "hex";
        };
        MibList: {
            /** @description Loaded modules, in load order */
            modules: components["schemas"]["MibModule"][];
            /** @description Files and modules that could not be loaded, with the reason */
            skipped: {
                file: string;
                reason: string;
            }[];
        };
        MibModule: {
            /** @example HOST-RESOURCES-MIB */
            name: string;
            /**
             * @description bundled: shipped with the service (mibs/); dir: from SNMP_MIB_DIRS; uploaded: POST /snmp/mibs (kept in MIB_STORE_DIR)
             * @enum {string}
             */
            source: "bundled" | "dir" | "uploaded";
            /**
             * @description The file it was read from (its name only)
             * @example HOST-RESOURCES-MIB.txt
             */
            file: string;
            /** @description Objects (OID-valued definitions) it defines */
            objects: number;
        };
        MibUploadResult: {
            loaded: components["schemas"]["MibModule"][];
        };
        MibTranslation: {
            /** @example 1.3.6.1.2.1.2.2.1.8.2 */
            oid: string;
            /**
             * @description The object with the instance suffix
             * @example IF-MIB::ifOperStatus.2
             */
            name: string;
            module: string;
            /** @example ifOperStatus */
            object: string;
            /**
             * @description The part of the OID after the object, when there is one
             * @example 2
             */
            instance?: string;
            /**
             * @description OBJECT-TYPE, OBJECT IDENTIFIER, NOTIFICATION-TYPE, MODULE-IDENTITY, …
             * @example OBJECT-TYPE
             */
            kind: string;
            syntax?: {
                /** @example INTEGER */
                name: string;
                /** @example Integer32 */
                base: string;
                textualConventions: string[];
                displayHint?: string;
                /**
                 * @example {
                 *       "up": 1,
                 *       "down": 2,
                 *       "testing": 3
                 *     }
                 */
                enums?: {
                    [key: string]: number;
                };
                sizes?: [
                    number,
                    number
                ][];
            };
            /** @example read-only */
            access?: string;
            /** @example current */
            status?: string;
            units?: string;
            description?: string;
            index?: {
                name: string;
                implied: boolean;
            }[];
            augments?: string;
        };
        /** @description One server-sent-event message. On the wire: `id: <event id>` (trap only; opaque, the same as `data.id`), `event: trap|gap`, and `data:` the JSON on one line, then an empty line. Comment lines (`: heartbeat`) keep idle connections open. */
        TrapStreamMessage: {
            /** @enum {string} */
            event: "trap";
            id: components["schemas"]["EventId"];
            data: components["schemas"]["TrapEvent"];
        } | {
            /** @enum {string} */
            event: "gap";
            data: components["schemas"]["TrapGap"];
        };
        /**
         * @description Opaque event id (today `<ms>-<seq>`, the shape of a Redis stream id; do not parse it). Ids increase and never repeat, also across restarts; with TRAP_BUS=redis they are the shared stream's ids, the same on every replica. Send the last one back as Last-Event-ID or `since` to resume.
         * @example 1764327210744-0
         */
        EventId: string;
        TrapEvent: {
            id: components["schemas"]["EventId"];
            /**
             * Format: date-time
             * @example 2026-11-28T10:53:30.744Z
             */
            receivedAt: string;
            /** @description Where the datagram came from (the UDP sender: a device, or a trap forwarder / NAT in front of it) */
            source: {
                /** @example 192.0.2.10 */
                address: string;
                port: number;
            };
            /** @description The device the notification is about, when it differs from `source`: the value of snmpTrapAddress.0 (1.3.6.1.6.3.18.1.3.0, set by forwarders such as snmptrapd), or the SNMPv1 agent-addr when it is not the UDP sender. Declared by the sender, not verified. */
            origin?: {
                /** @example 192.0.2.7 */
                address: string;
            };
            /** @enum {string} */
            version: "1" | "3" | "2c";
            /**
             * @description trap: SNMPv1 Trap-PDU; trapV2: SNMPv2-Trap-PDU; inform: InformRequest (acknowledged)
             * @enum {string}
             */
            pduType: "trap" | "trapV2" | "inform";
            /** @description v1/v2c community; only when TRAP_INCLUDE_COMMUNITY is on (it is a secret) */
            community?: string;
            /** @description SNMPv3 USM user name */
            user?: string;
            /**
             * @description Numeric notification OID. v2c/v3: the value of snmpTrapOID.0. v1: derived as RFC 3584 §3.1 specifies (generic 0–5 → 1.3.6.1.6.3.1.1.5.{generic+1}; enterpriseSpecific → enterprise.0.specific)
             * @example 1.3.6.1.6.3.1.1.5.3
             */
            trapOid: string;
            /**
             * @description MIB name of trapOid, when known
             * @example IF-MIB::linkDown
             */
            trapName?: string;
            /** @description Sender's sysUpTime in hundredths of a second (v2c/v3: the value of sysUpTime.0; v1: time-stamp) */
            uptime: number;
            /** @description The varbinds as sent. For v2c/v3 they start with sysUpTime.0 and snmpTrapOID.0, as snmptrapd shows them. */
            varbinds: components["schemas"]["Varbind"][];
            /** @description The SNMPv1 Trap-PDU header fields (v1 only) */
            v1?: {
                enterprise: string;
                agentAddress: string;
                genericTrap: number;
                specificTrap: number;
            };
        };
        TrapGap: {
            /**
             * @description Events lost (all events, whatever the filters) because they are no longer held; null when the number is unknown: the id is not one of this stream (an earlier run of the service in memory mode, an unknown id), or the shared Redis stream trimmed events after it
             * @example 120
             */
            missed: number | null;
        };
        TrapRecentResponse: {
            /** @description Newest last */
            events: components["schemas"]["TrapEvent"][];
            /**
             * @description Id of the newest event of the stream (null before the first)
             * @example 1764327210744-0
             */
            lastId: string | null;
            /** @description With `since`: events after it that are no longer held (null: unknown how many) */
            missed?: number | null;
        };
        TrapForwarders: {
            forwarders: components["schemas"]["TrapForwarderStatus"][];
        };
        /** @description A webhook forwarder (TRAP_FORWARDERS) as this replica sees it. Secrets and header values are never shown. */
        TrapForwarderStatus: {
            /** @example alerts */
            name: string;
            /**
             * @description Scheme, host and path (a query string is shown as ?…)
             * @example http://127.0.0.1:9000/hooks/traps
             */
            url: string;
            /**
             * @description memory: a queue in this process; redis: a consumer group on the shared stream, the work shared by every replica
             * @enum {string}
             */
            engine: "memory" | "redis";
            filter: components["schemas"]["TrapForwarderFilter"];
            /** @description Requests carry an HMAC-SHA256 signature */
            signed: boolean;
            batchMaxEvents: number;
            /** @description What waits to be delivered */
            queue: {
                /** @description memory: events waiting in this process. redis: events of the stream the group has not acknowledged yet (every replica) */
                events: number;
                /** @description memory: their bytes; redis: 0 (the events are in the stream) */
                bytes: number;
                /** @description Events this replica is delivering now */
                inFlight: number;
                maxEvents: number;
                maxBytes: number;
            };
            /** @description Events acknowledged by the receiver (2xx), by this replica */
            delivered: number;
            /** @description Requests sent again after a failure (network error, timeout, 408, 429, 5xx) */
            retried: number;
            /** @description Events dropped because the queue was full */
            dropped: number;
            /** @description Events given up: refused by the receiver (4xx other than 408/429, 3xx) or retry.maxAttempts reached */
            deadLettered: number;
            /** Format: date-time */
            lastSuccessAt: string | null;
            /** @description The last failed attempt */
            lastError: {
                /** Format: date-time */
                at: string;
                /** @example HTTP 503 */
                message: string;
                /** @description The HTTP status, when the receiver answered */
                status?: number;
            } | null;
        };
        /** @description Which events the forwarder sends (all when empty) */
        TrapForwarderFilter: {
            /** @description The UDP sender is this address or in this range */
            source?: string;
            /** @description `origin.address` (snmpTrapAddress.0 or a v1 agent-addr) is this address or in this range */
            origin?: string;
            /**
             * @description trapOid is this OID or under it (numeric or a MIB name)
             * @example IF-MIB::linkDown
             */
            trapOid?: string;
            /** @enum {string} */
            version?: "1" | "3" | "2c";
        };
        DhcpDiscoverResult: {
            /** @enum {string} */
            mode: "broadcast" | "relay";
            /** @description transaction id, 8 hex digits */
            xid: string;
            mac: string;
            interface?: string;
            server?: string;
            relayAddress?: string;
            timeoutMs: number;
            offers: components["schemas"]["DhcpOffer"][];
            /** @description distinct server ids that offered */
            servers: string[];
            /** @description servers not in expectedServers (empty when none were given) */
            unexpectedServers: string[];
            /** @description replies for this transaction that could not be decoded and were dropped */
            malformedReplies: number;
            requested?: {
                serverId: string;
                address: string;
            };
            ack?: components["schemas"]["DhcpOffer"];
            nak?: components["schemas"]["DhcpOffer"];
            requestTimedOut?: boolean;
            /** @description a DHCPRELEASE was sent for the acknowledged lease */
            released?: boolean;
            durationMs: number;
        };
        DhcpOffer: {
            messageType: string | null;
            /** @description option 54 */
            serverId: string | null;
            /** @description IP source address of the reply */
            sourceAddress: string;
            yiaddr: string;
            siaddr: string;
            giaddr: string;
            sname: string;
            file: string;
            /** @description from sending DISCOVER (offers) or REQUEST (ACK/NAK) to this reply */
            latencyMs: number;
            options: components["schemas"]["DhcpOptions"];
            rawOptions: components["schemas"]["DhcpRawOption"][];
        };
        /** @description Decoded options; every option, named or not, is also in rawOptions */
        DhcpOptions: {
            /** @description option 1 */
            subnetMask?: string;
            /** @description option 2 */
            timeOffset?: number;
            /** @description option 3 */
            router?: string[];
            /** @description option 4 */
            timeServers?: string[];
            /** @description option 5 */
            nameServers?: string[];
            /** @description option 6 */
            dnsServers?: string[];
            /** @description option 7 */
            logServers?: string[];
            /** @description option 8 */
            cookieServers?: string[];
            /** @description option 9 */
            lprServers?: string[];
            /** @description option 10 */
            impressServers?: string[];
            /** @description option 11 */
            resourceLocationServers?: string[];
            /** @description option 12 */
            hostName?: string;
            /** @description option 13 */
            bootFileSize?: number;
            /** @description option 14 */
            meritDumpFile?: string;
            /** @description option 15 */
            domainName?: string;
            /** @description option 16 */
            swapServer?: string;
            /** @description option 17 */
            rootPath?: string;
            /** @description option 18 */
            extensionsPath?: string;
            /** @description option 19 */
            ipForwarding?: boolean;
            /** @description option 20 */
            nonLocalSourceRouting?: boolean;
            /** @description option 21 */
            policyFilter?: string[][];
            /** @description option 22 */
            maxDatagramReassemblySize?: number;
            /** @description option 23 */
            defaultIpTtl?: number;
            /** @description option 24 */
            pathMtuAgingTimeout?: number;
            /** @description option 25 */
            pathMtuPlateauTable?: number[];
            /** @description option 26 */
            interfaceMtu?: number;
            /** @description option 27 */
            allSubnetsLocal?: boolean;
            /** @description option 28 */
            broadcastAddress?: string;
            /** @description option 29 */
            performMaskDiscovery?: boolean;
            /** @description option 30 */
            maskSupplier?: boolean;
            /** @description option 31 */
            performRouterDiscovery?: boolean;
            /** @description option 32 */
            routerSolicitationAddress?: string;
            /** @description option 33 */
            staticRoutes?: components["schemas"]["DhcpClasslessRoute"][];
            /** @description option 34 */
            trailerEncapsulation?: boolean;
            /** @description option 35 */
            arpCacheTimeout?: number;
            /** @description option 36 */
            ethernetEncapsulation?: boolean;
            /** @description option 37 */
            tcpDefaultTtl?: number;
            /** @description option 38 */
            tcpKeepaliveInterval?: number;
            /** @description option 39 */
            tcpKeepaliveGarbage?: boolean;
            /** @description option 40 */
            nisDomain?: string;
            /** @description option 41 */
            nisServers?: string[];
            /** @description option 42 */
            ntpServers?: string[];
            /** @description option 43 */
            vendorSpecific?: string;
            /** @description option 44 */
            netbiosNameServers?: string[];
            /** @description option 45 */
            netbiosDatagramDistributionServers?: string[];
            /** @description option 46 */
            netbiosNodeType?: number;
            /** @description option 47 */
            netbiosScope?: string;
            /** @description option 48 */
            xWindowFontServers?: string[];
            /** @description option 49 */
            xWindowDisplayManagers?: string[];
            /** @description option 50 */
            requestedIpAddress?: string;
            /** @description option 51 */
            leaseTime?: number;
            /** @description option 52 */
            optionOverload?: number;
            /** @description option 53 */
            messageType?: string;
            /** @description option 54 */
            serverId?: string;
            /** @description option 55 */
            parameterRequestList?: number[];
            /** @description option 56 */
            message?: string;
            /** @description option 57 */
            maxMessageSize?: number;
            /** @description option 58 */
            renewalTime?: number;
            /** @description option 59 */
            rebindingTime?: number;
            /** @description option 60 */
            vendorClassId?: string;
            /** @description option 61 */
            clientId?: {
                /** @description The hardware type byte (1 = Ethernet), 0 for a free-form identifier, 255 for an RFC 4361 IAID/DUID */
                type: number;
                /** @description MAC address when type is 1 and six bytes follow, otherwise the bytes after the type as hex */
                value: string;
            };
            /** @description option 62 */
            netwareIpDomain?: string;
            /** @description option 63 */
            netwareIpInformation?: string;
            /** @description option 64 */
            nisPlusDomain?: string;
            /** @description option 65 */
            nisPlusServers?: string[];
            /** @description option 66 */
            tftpServerName?: string;
            /** @description option 67 */
            bootfileName?: string;
            /** @description option 68 */
            mobileIpHomeAgents?: string[];
            /** @description option 69 */
            smtpServers?: string[];
            /** @description option 70 */
            pop3Servers?: string[];
            /** @description option 71 */
            nntpServers?: string[];
            /** @description option 72 */
            wwwServers?: string[];
            /** @description option 73 */
            fingerServers?: string[];
            /** @description option 74 */
            ircServers?: string[];
            /** @description option 75 */
            streetTalkServers?: string[];
            /** @description option 76 */
            stdaServers?: string[];
            /** @description option 77 */
            userClass?: string[];
            /** @description option 81 */
            clientFqdn?: {
                flags: number;
                rcode1: number;
                rcode2: number;
                domainName: string;
            };
            relayAgentInformation?: components["schemas"]["DhcpRelayAgentInformation"];
            /** @description option 119 */
            domainSearch?: string[];
            /** @description option 121 */
            classlessStaticRoutes?: components["schemas"]["DhcpClasslessRoute"][];
            /** @description option 150 */
            tftpServerAddresses?: string[];
            /** @description option 252 */
            wpadUrl?: string;
        };
        DhcpClasslessRoute: {
            destination: string;
            router: string;
        };
        DhcpRelayAgentInformation: {
            /** @description Sub-option 1, as text when printable, else hex */
            circuitId?: string;
            /** @description Sub-option 2, as text when printable, else hex */
            remoteId?: string;
            subOptions: {
                code: number;
                hex: string;
            }[];
        };
        DhcpRawOption: {
            code: number;
            name: string;
            hex: string;
            /** @description why a named option could not be decoded */
            error?: string;
        };
        /**
         * @example {
         *       "interface": "lo",
         *       "timeoutMs": 5000,
         *       "expectedServers": [
         *         "127.0.0.1"
         *       ]
         *     }
         */
        DhcpDiscoverRequest: {
            /**
             * @description broadcast on an interface, or unicast to a server as a relay agent
             * @default broadcast
             * @enum {string}
             */
            mode?: "broadcast" | "relay";
            /** @description broadcast mode: the interface to probe, e.g. eth1 (default: DHCP_INTERFACE). It needs no IPv4 address. */
            interface?: string;
            /** @description relay mode: the DHCP server (IPv4 address or name) */
            server?: string;
            /**
             * Format: ip
             * @description relay mode: giaddr, a local address where replies arrive on port 67 (default: the local address toward the server)
             */
            relayAddress?: string;
            /** @description relay mode: option 82 sub-option 1, as text */
            circuitId?: string;
            /** @description relay mode: option 82 sub-option 2, as text */
            remoteId?: string;
            /** @description chaddr (default: DHCP_MAC, else a random locally administered MAC) */
            mac?: string;
            /** @description option 61: colon-separated hex bytes (type byte first, e.g. 01:02:00:00:aa:bb:cc) or text sent with type 0; default 01 + chaddr */
            clientId?: string;
            /** @description option 12 */
            hostname?: string;
            /** @description option 60 */
            vendorClass?: string;
            /** @description option 55 (default 1, 2, 3, 6, 12, 15, 26, 28, 42, 43, 44, 66, 67, 119, 121, 150, 252) */
            requestedOptions?: number[];
            /** @description more options to send (they replace a built-in option of the same code) */
            extraOptions?: {
                code: number;
                hex: string;
            }[];
            /**
             * @description window in which offers are collected; also the wait for ACK/NAK
             * @default 5000
             */
            timeoutMs?: number;
            /**
             * @description run the full DORA with the first (or preferServer) offer
             * @default false
             */
            request?: boolean;
            /**
             * Format: ip
             * @description with request: the server id whose offer to request
             */
            preferServer?: string;
            /**
             * @description with request: send DHCPRELEASE after the ACK so no lease is left behind
             * @default true
             */
            release?: boolean;
            /** @description server ids that are allowed; offers from others are reported in unexpectedServers */
            expectedServers?: string[];
        };
        /** @description ProbeResult for one target (`host`), ProbeBatchResult for `targets` */
        ProbeResponseBody: components["schemas"]["ProbeResult"] | components["schemas"]["ProbeBatchResult"];
        /** @description A failed probe is a result (ok:false with state and error), never an HTTP error. ok is true when the connection (and TLS handshake with a trusted chain, or `insecure`) succeeded and, with `expect`, it matched; when reading without `expect`, some bytes or a clean close must arrive before the deadline. */
        ProbeResult: {
            ok: boolean;
            /** @enum {string} */
            protocol: "tcp" | "tls" | "udp";
            host: string;
            /** @description The address probed; null when the name did not resolve */
            address: string | null;
            port: number;
            /**
             * @description nmap vocabulary. open: connected (UDP: answered); closed: refused (UDP: ICMP port unreachable); filtered: no answer to the connect for at least the first TCP retransmission timeout (1 s), or unreachable; timeout: the deadline came before the port could answer (timeoutMs too short to tell filtered from slow); open|filtered: UDP silence; error: the probe did not reach the port (DNS, policy)
             * @enum {string}
             */
            state: "open" | "closed" | "filtered" | "open|filtered" | "timeout" | "error";
            timings: components["schemas"]["ProbeTimings"];
            response?: components["schemas"]["ProbeResponse"];
            match?: components["schemas"]["ProbeMatch"];
            tls?: components["schemas"]["ProbeTlsReport"];
            error?: components["schemas"]["ProbeError"];
        };
        ProbeTimings: {
            /** @description Name resolution; 0 for an IP literal, null when it failed */
            dnsMs: number | null;
            /** @description TCP handshake; null for UDP */
            connectMs: number | null;
            /** @description TLS handshake */
            tlsMs: number | null;
            /** @description From ready to send (after connect/handshake; UDP: after sending) to the first byte received */
            firstByteMs: number | null;
            totalMs: number;
        };
        ProbeResponse: {
            /** @description UTF-8 decoding (invalid bytes become U+FFFD); `hex` is exact */
            text: string;
            hex: string;
            bytes: number;
            /** @enum {string} */
            endedBy: "match" | "readBytes" | "peerClosed" | "deadline" | "datagram";
        };
        ProbeMatch: {
            matched: boolean;
            /** @description Capture groups 1..n */
            groups: (string | null)[];
            named?: {
                [key: string]: string | null;
            };
        };
        ProbeTlsReport: {
            /** @example TLSv1.3 */
            protocol: string | null;
            cipher: string | null;
            /** @description The protocol the server selected, or null */
            alpn: string | null;
            /** @description The SNI name sent, or null */
            servername: string | null;
            /** @description The chain is trusted and the certificate matches the name (or the IP) */
            authorized: boolean;
            /**
             * @description trusted: chain and name good; untrusted: the chain does not verify (self-signed, unknown CA, expired…); nameMismatch: a trusted certificate for another name than servername (or the IP)
             * @enum {string}
             */
            verdict: "trusted" | "untrusted" | "nameMismatch";
            /** @example DEPTH_ZERO_SELF_SIGNED_CERT */
            authorizationError: string | null;
            certificate: components["schemas"]["CertificateSummary"];
            /** @description As sent by the peer, leaf first, up to a self-signed root */
            chain: components["schemas"]["CertificateSummary"][];
        };
        CertificateSummary: {
            /** @example CN=mail.example.com */
            subject: string;
            issuer: string;
            /**
             * @example [
             *       "DNS:mail.example.com",
             *       "IP:192.0.2.10"
             *     ]
             */
            san: string[];
            /** @description ISO 8601 */
            validFrom: string;
            /** @description ISO 8601 */
            validTo: string;
            /** @description Whole days until validTo (floored); negative once expired */
            daysRemaining: number;
            /** @description Hex */
            serialNumber: string;
            /** @example AB:CD:... */
            fingerprint256: string;
            /**
             * @description Public key type: rsa, rsa-pss, ec, ed25519, …
             * @example ec
             */
            keyType: string;
            /**
             * @description RSA modulus length in bits; null for other key types
             * @example 2048
             */
            keyBits: number | null;
            /**
             * @description EC curve name; null for other key types
             * @example prime256v1
             */
            keyCurve: string | null;
            /**
             * @description The issuer's signature algorithm (its OID when not known by name)
             * @example sha256WithRSAEncryption
             */
            signatureAlgorithm: string | null;
        } | null;
        ProbeError: {
            /**
             * @description DNS: the name does not resolve. REFUSED: connection refused / ICMP port unreachable. RESET: the peer reset the connection. TIMEOUT: the deadline passed (connect, handshake, or no (matching) answer). UNREACHABLE: host or network unreachable. TLS: handshake failed or untrusted certificate. NO_MATCH: the peer closed or readBytes were read without `expect` matching. POLICY: the target is refused by policy. CANCELLED: the client went away. ERROR: anything else
             * @enum {string}
             */
            code: "DNS" | "REFUSED" | "RESET" | "TIMEOUT" | "UNREACHABLE" | "TLS" | "NO_MATCH" | "POLICY" | "CANCELLED" | "ERROR";
            message: string;
            /** @description POLICY only: the target-policy rule that refused the target */
            rule?: string;
        };
        ProbeBatchResult: {
            /** @description In the order of `targets` */
            results: components["schemas"]["ProbeResult"][];
            summary: components["schemas"]["ProbeBatchSummary"];
        };
        ProbeBatchSummary: {
            total: number;
            ok: number;
            failed: number;
            byState: {
                [key: string]: number;
            };
            totalMs: number;
        };
        /**
         * @description Either one probe (`host`, `port`, options) or a batch (`targets`, shared options, `concurrency`). Reading happens when `send`, `expect` or `readBytes` is given; otherwise TCP is a connect check and TLS a handshake check. UDP always sends (an empty datagram when `send` is absent) and waits for an answer until `timeoutMs`. A failed probe is still a 200 result.
         * @example {
         *       "protocol": "tcp",
         *       "host": "127.0.0.1",
         *       "port": 25,
         *       "expect": "^220 ",
         *       "timeoutMs": 3000
         *     }
         */
        ProbeRequest: {
            /**
             * @description One probe: give host and port (not targets). A CIDR range or several ports make it a scan: the answer is then a batch result
             * @example 127.0.0.1
             */
            host?: string;
            /**
             * @description Default `tcp`
             * @enum {string}
             */
            protocol?: "tcp" | "tls" | "udp";
            /**
             * @description A port, or ports and ranges to scan ("22,80,443,8000-8010"): each is one probe, in the order given
             * @example 25
             */
            port?: number | string;
            /** @description One deadline for the whole probe (DNS, connect, handshake, exchange). Default 3000 */
            timeoutMs?: number;
            /** @description Address family for names. Default `auto`: IPv4 first, then IPv6 */
            ipFamily?: 4 | 6 | "auto";
            send?: components["schemas"]["ProbeSendPayload"];
            /**
             * @description An RE2 regular expression (Go regexp syntax, as in blackbox_exporter; at most 1024 characters) matched against the UTF-8 text read so far. Matching takes time linear in the input, so no pattern can stall the service; in exchange there are no backreferences and no lookaround (400), and `\x{41}` replaces `\u0041`. Named groups are `(?P<name>…)` or `(?<name>…)`. The compiled pattern's size times readBytes may be at most 1048576 (256 RE2 instructions at the default readBytes). Alone (no `send`) it is a banner grab
             * @example ^220
             */
            expect?: string;
            /**
             * @description Flags for expect: i (case-insensitive), m (^ and $ at line ends), s (. matches a newline); u is accepted and changes nothing (RE2 always matches code points)
             * @example i
             */
            expectFlags?: string;
            /** @description At most this many bytes are read. Default 4096. Given alone it also asks for a read (banner grab without a pattern) */
            readBytes?: number;
            tls?: components["schemas"]["ProbeTlsOptions"];
            /** @description A batch of at most 1024 targets (not host); results come back in the same order */
            targets?: components["schemas"]["ProbeTarget"][];
            /** @description Batch only: probes in flight at once. Default 64 */
            concurrency?: number;
        };
        /** @description What to send once connected: text, or raw bytes as `{ "hex": "..." }` */
        ProbeSendPayload: string | {
            /** @example 16 03 01 */
            hex: string;
        };
        /** @description Only for protocol `tls` */
        ProbeTlsOptions: {
            /** @description SNI. Default: the target host when it is a name; none for an IP literal */
            servername?: string;
            /**
             * @example [
             *       "h2",
             *       "http/1.1"
             *     ]
             */
            alpn?: string[];
            /** @description Report an untrusted chain (authorized:false) instead of failing the probe. Default false */
            insecure?: boolean;
            /** @description PEM CA certificates to trust instead of the system store */
            ca?: string;
            /** @enum {string} */
            minVersion?: "TLSv1" | "TLSv1.1" | "TLSv1.2" | "TLSv1.3";
        };
        /** @description One target of a batch; its fields override the shared ones */
        ProbeTarget: {
            /** @example 127.0.0.1 */
            host: string;
            /**
             * @description Default `tcp`
             * @enum {string}
             */
            protocol?: "tcp" | "tls" | "udp";
            /**
             * @description A port, or ports and ranges to scan ("22,80,443,8000-8010"): each is one probe, in the order given
             * @example 25
             */
            port?: number | string;
            /** @description One deadline for the whole probe (DNS, connect, handshake, exchange). Default 3000 */
            timeoutMs?: number;
            /** @description Address family for names. Default `auto`: IPv4 first, then IPv6 */
            ipFamily?: 4 | 6 | "auto";
            send?: components["schemas"]["ProbeSendPayload"];
            /**
             * @description An RE2 regular expression (Go regexp syntax, as in blackbox_exporter; at most 1024 characters) matched against the UTF-8 text read so far. Matching takes time linear in the input, so no pattern can stall the service; in exchange there are no backreferences and no lookaround (400), and `\x{41}` replaces `\u0041`. Named groups are `(?P<name>…)` or `(?<name>…)`. The compiled pattern's size times readBytes may be at most 1048576 (256 RE2 instructions at the default readBytes). Alone (no `send`) it is a banner grab
             * @example ^220
             */
            expect?: string;
            /**
             * @description Flags for expect: i (case-insensitive), m (^ and $ at line ends), s (. matches a newline); u is accepted and changes nothing (RE2 always matches code points)
             * @example i
             */
            expectFlags?: string;
            /** @description At most this many bytes are read. Default 4096. Given alone it also asks for a read (banner grab without a pattern) */
            readBytes?: number;
            tls?: components["schemas"]["ProbeTlsOptions"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
