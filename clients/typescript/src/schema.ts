export interface paths {
    "/predict": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Top breeds in a photo (raw image body or multipart field "image").
         * @description Send the photo as the raw body (application/octet-stream for any photo: the type is read from the bytes; or image/jpeg, image/png, image/webp, which must agree with them) or as the file field "image" of a multipart/form-data body. Answers the topK most likely breeds with the model's version and the image's SHA-256, which a save repeats. The same image is answered from a cache (cached: true). No account needed.
         */
        post: operations["predict"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/predictions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's history, newest first, with cursor pagination.
         * @description The caller's saved predictions, newest first, `limit` at a time. When nextCursor is not null, pass it back unchanged as `cursor` for the next page (it is opaque).
         */
        get: operations["listPredictions"];
        put?: never;
        /**
         * Save a prediction to the caller's history; Idempotency-Key makes retries safe.
         * @description Stores a prediction (the model's answer or the user's correction) in the caller's history and answers the stored row with its id. Send an Idempotency-Key to retry safely after a lost answer.
         */
        post: operations["savePrediction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/predictions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One of the caller's own predictions: where a save's Location points.
         * @description One row of the caller's history, as the save answered it: the save's Location header points here. Another user's row, one deleted, or an id that is no UUID is 404: a caller cannot tell whether someone else has a row with that id.
         */
        get: operations["getPrediction"];
        put?: never;
        post?: never;
        /**
         * Delete one of the caller's own predictions.
         * @description Removes one row of the caller's history. Another user's row, or one already gone, is 404: a caller cannot tell whether someone else has a row with that id.
         */
        delete: operations["deletePrediction"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/model": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The model being served: name, version, labels, input size, preprocessing, backend.
         * @description What the server predicts with: the model name and version (the one a prediction reports), its labels (the breeds a save may name), input size and preprocessing.
         */
        get: operations["modelInfo"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness: the process answers.
         * @description Answers 200 as long as the process serves requests; checks no dependency.
         */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness: model loaded and warmed up, database reachable, schema at this release; 503 otherwise.
         * @description Answers 200 once the model is loaded and warmed up and the database is reachable, 503 with Retry-After until then: what a load balancer should route on.
         */
        get: operations["ready"];
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
        /** @description The body API Gateway sends for an answer it gives itself on the Lambda deployment (a refused token, throttling); the Express deployment never sends it. Has no error code: switch on the status. */
        ApiGatewayError: {
            /** @description The reason phrase, e.g. "Unauthorized". */
            message: string;
        };
        ErrorBody: {
            error: {
                code: string;
                message: string;
                requestId: string;
                details?: unknown;
            };
        };
        HealthResponse: {
            /** @constant */
            status: "ok";
        };
        ListPredictionsResponse: {
            items: components["schemas"]["Prediction"][];
            nextCursor: string | null;
        };
        ModelResponse: {
            name: string;
            version: string;
            /** @enum {string} */
            format: "layers" | "graph";
            labelsCount: number;
            labels: string[];
            inputSize: number[];
            preprocessing: {
                /** @enum {string} */
                resize: "center-crop" | "stretch";
                scale: number;
                offset: number;
            };
            untrained: boolean;
            backend: string;
            /** @description Worker threads each running a copy of the model, so cache misses use every core (MODEL_WORKERS); 0: one model in the serving thread (Lambda, or MODEL_WORKERS 0). */
            workers: number;
        };
        Prediction: {
            /** Format: uuid */
            id: string;
            breed: string;
            confidence: number;
            imageSha256: string;
            modelVersion: string;
            /** @enum {string} */
            source: "model" | "user-corrected";
            topK: {
                breed: string;
                confidence: number;
                species?: ("dog" | "cat") | null;
            }[] | null;
            /** @description ISO 8601, UTC, microsecond precision */
            createdAt: string;
        };
        PredictResponse: {
            /** @description The top breeds, best first; empty when verdict is not-a-pet. */
            predictions: {
                breed: string;
                confidence: number;
                species?: ("dog" | "cat") | null;
            }[];
            /**
             * @description breed: the first prediction is the answer. unsure: a cat or dog, but no breed stands out. not-a-pet: the photo shows no cat or dog (predictions is empty, species null).
             * @enum {string}
             */
            verdict: "breed" | "unsure" | "not-a-pet";
            /** @description The likeliest species over all breeds; null when not a pet. */
            species: ("dog" | "cat") | null;
            model: {
                name: string;
                version: string;
                untrained: boolean;
            };
            imageSha256: string;
            cached: boolean;
        };
        ReadyResponse: {
            /** @constant */
            status: "ready";
            model: string;
        };
        SavePredictionBody: {
            breed: string;
            confidence: number;
            imageSha256: string;
            modelVersion: string;
            /** @enum {string} */
            source: "model" | "user-corrected";
            /** @description The answer's predictions, as /predict gave them. */
            topK?: {
                breed: string;
                confidence: number;
                /** @description When given, it must be the model's species for this breed. */
                species?: ("dog" | "cat") | null;
            }[];
        };
    };
    responses: {
        /** @description Bad Request: error.code is one of EMPTY_BODY, INVALID_JSON, MALFORMED_MULTIPART, MALFORMED_URL, MALFORMED_REQUEST, VALIDATION_FAILED, UNKNOWN_BREED, SPECIES_MISMATCH. MALFORMED_URL: the path has a percent-escape that does not decode. MALFORMED_REQUEST: the Express runtime (Beanstalk, npm start) could not parse the request as HTTP; on the Lambda deployment API Gateway answers such a request itself. */
        Error400: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "EMPTY_BODY" | "INVALID_JSON" | "MALFORMED_MULTIPART" | "MALFORMED_URL" | "MALFORMED_REQUEST" | "VALIDATION_FAILED" | "UNKNOWN_BREED" | "SPECIES_MISMATCH";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Unauthorized: error.code is one of UNAUTHENTICATED. On the Lambda deployment, API Gateway's JWT authorizer refuses a missing or invalid token before any function runs and answers {"message": "Unauthorized"} itself, without X-Request-Id. */
        Error401: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "WWW-Authenticate": components["headers"]["WWW-Authenticate"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNAUTHENTICATED";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                } | components["schemas"]["ApiGatewayError"];
            };
        };
        /** @description Not Found: error.code is one of NOT_FOUND. */
        Error404: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "NOT_FOUND";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Method Not Allowed: error.code is one of METHOD_NOT_ALLOWED. Sent for any other method on this path; Allow lists the ones it supports. */
        Error405: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                Allow: components["headers"]["Allow"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "METHOD_NOT_ALLOWED";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Request Timeout: error.code is one of REQUEST_TIMEOUT. The Express runtime waited too long for the headers (or the body) and closes the connection after answering. */
        Error408: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "REQUEST_TIMEOUT";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Payload Too Large: error.code is one of IMAGE_TOO_LARGE, BODY_TOO_LARGE. On the Lambda deployment, a body over what API Gateway passes on (10 MB, or 6 MB once base64 encoded for the function) may be refused by AWS with {"message": ...} instead. */
        Error413: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "IMAGE_TOO_LARGE" | "BODY_TOO_LARGE";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                } | components["schemas"]["ApiGatewayError"];
            };
        };
        /** @description Unsupported Media Type: error.code is one of UNSUPPORTED_MEDIA_TYPE, CONTENT_TYPE_MISMATCH. */
        Error415: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "UNSUPPORTED_MEDIA_TYPE" | "CONTENT_TYPE_MISMATCH";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Unprocessable Entity: error.code is one of CORRUPT_IMAGE, IMAGE_TOO_MANY_PIXELS, IMAGE_TOO_COMPLEX, IDEMPOTENCY_KEY_REUSED. */
        Error422: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "CORRUPT_IMAGE" | "IMAGE_TOO_MANY_PIXELS" | "IMAGE_TOO_COMPLEX" | "IDEMPOTENCY_KEY_REUSED";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Request Header Fields Too Large: error.code is one of HEADERS_TOO_LARGE. The Express runtime refuses request headers larger than Node.js reads (16 KiB by default). */
        Error431: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "HEADERS_TOO_LARGE";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Internal Server Error: error.code is one of INTERNAL. */
        Error500: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "INTERNAL";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Service Unavailable: error.code is one of NOT_READY, STORE_UNAVAILABLE, BUSY. */
        Error503: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                "Retry-After": components["headers"]["Retry-After"];
                [name: string]: unknown;
            };
            content: {
                "application/json": {
                    error: {
                        /** @enum {string} */
                        code: "NOT_READY" | "STORE_UNAVAILABLE" | "BUSY";
                        message: string;
                        requestId: string;
                        details?: unknown;
                    };
                };
            };
        };
        /** @description Any status not listed: the error body, or on the Lambda deployment a body API Gateway writes itself (e.g. 429 {"message": "Too Many Requests"} when the stage is throttled). */
        OtherError: {
            headers: {
                "X-Request-Id": components["headers"]["X-Request-Id"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ApiGatewayError"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description The request's id: the caller's own X-Request-Id when it is 1-128 characters of [A-Za-z0-9_.-], a new UUID otherwise. Every log line of the request carries it, and so does an error body. Absent from API Gateway's own answers (they carry apigw-requestid instead). */
        "X-Request-Id": string;
        /** @description Seconds to wait before retrying. */
        "Retry-After": string;
        /** @description The authentication scheme to use, "Bearer" (RFC 6750). API Gateway's JWT authorizer may add error="invalid_token" and an error_description. */
        "WWW-Authenticate": string;
        /** @description The methods this path does support, comma-separated (RFC 9110, section 10.2.1). */
        Allow: string;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    predict: {
        parameters: {
            query?: {
                /** @description How many breeds to return (default 3). */
                topK?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description The photo, either as the raw body (its type is read from its bytes; a declared image type must agree) or as the file field "image" of a multipart/form-data body. At most MAX_IMAGE_BYTES (5 MiB by default). */
        requestBody: {
            content: {
                "application/octet-stream": Blob;
                "image/jpeg": Blob;
                "image/png": Blob;
                "image/webp": Blob;
                "multipart/form-data": {
                    /** Format: binary */
                    image: Blob;
                };
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "predictions": [
                     *         {
                     *           "breed": "Beagle",
                     *           "confidence": 0.8823109865188599,
                     *           "species": "dog"
                     *         },
                     *         {
                     *           "breed": "American Bulldog",
                     *           "confidence": 0.10235801339149475,
                     *           "species": "dog"
                     *         },
                     *         {
                     *           "breed": "German Shorthaired",
                     *           "confidence": 0.012313518673181534,
                     *           "species": "dog"
                     *         }
                     *       ],
                     *       "verdict": "breed",
                     *       "species": "dog",
                     *       "model": {
                     *         "name": "pets-mobilenet-v1",
                     *         "version": "sha256-277609e6c6e610d8",
                     *         "untrained": false
                     *       },
                     *       "imageSha256": "e62a947726d309e2d042c441ec3265644f0f124bc9a4cd84363d592a8a49a7cc",
                     *       "cached": false
                     *     }
                     */
                    "application/json": components["schemas"]["PredictResponse"];
                };
            };
            400: components["responses"]["Error400"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            422: components["responses"]["Error422"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
    listPredictions: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "items": [
                     *         {
                     *           "id": "0b6f3a52-8c1d-4e7a-9f20-5d3c4b2a1e09",
                     *           "breed": "Beagle",
                     *           "confidence": 0.8823109865188599,
                     *           "imageSha256": "e62a947726d309e2d042c441ec3265644f0f124bc9a4cd84363d592a8a49a7cc",
                     *           "modelVersion": "sha256-277609e6c6e610d8",
                     *           "source": "model",
                     *           "topK": [
                     *             {
                     *               "breed": "Beagle",
                     *               "confidence": 0.8823109865188599,
                     *               "species": "dog"
                     *             },
                     *             {
                     *               "breed": "American Bulldog",
                     *               "confidence": 0.10235801339149475,
                     *               "species": "dog"
                     *             },
                     *             {
                     *               "breed": "German Shorthaired",
                     *               "confidence": 0.012313518673181534,
                     *               "species": "dog"
                     *             }
                     *           ],
                     *           "createdAt": "2026-12-05T13:36:04.123456Z"
                     *         }
                     *       ],
                     *       "nextCursor": null
                     *     }
                     */
                    "application/json": components["schemas"]["ListPredictionsResponse"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
    savePrediction: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retried save safe: the same key with the same body returns the first row (201 with Idempotent-Replayed: true); the same key with another body is 422 IDEMPOTENCY_KEY_REUSED. */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "breed": "Beagle",
                 *       "confidence": 0.8823109865188599,
                 *       "imageSha256": "e62a947726d309e2d042c441ec3265644f0f124bc9a4cd84363d592a8a49a7cc",
                 *       "modelVersion": "sha256-277609e6c6e610d8",
                 *       "source": "model",
                 *       "topK": [
                 *         {
                 *           "breed": "Beagle",
                 *           "confidence": 0.8823109865188599,
                 *           "species": "dog"
                 *         },
                 *         {
                 *           "breed": "American Bulldog",
                 *           "confidence": 0.10235801339149475,
                 *           "species": "dog"
                 *         },
                 *         {
                 *           "breed": "German Shorthaired",
                 *           "confidence": 0.012313518673181534,
                 *           "species": "dog"
                 *         }
                 *       ]
                 *     }
                 */
                "application/json": components["schemas"]["SavePredictionBody"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    /** @description The saved row: /predictions/{id}. */
                    Location?: string;
                    /** @description "true" when an earlier save with the same Idempotency-Key was returned. */
                    "Idempotent-Replayed"?: "true" | "false";
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0b6f3a52-8c1d-4e7a-9f20-5d3c4b2a1e09",
                     *       "breed": "Beagle",
                     *       "confidence": 0.8823109865188599,
                     *       "imageSha256": "e62a947726d309e2d042c441ec3265644f0f124bc9a4cd84363d592a8a49a7cc",
                     *       "modelVersion": "sha256-277609e6c6e610d8",
                     *       "source": "model",
                     *       "topK": [
                     *         {
                     *           "breed": "Beagle",
                     *           "confidence": 0.8823109865188599,
                     *           "species": "dog"
                     *         },
                     *         {
                     *           "breed": "American Bulldog",
                     *           "confidence": 0.10235801339149475,
                     *           "species": "dog"
                     *         },
                     *         {
                     *           "breed": "German Shorthaired",
                     *           "confidence": 0.012313518673181534,
                     *           "species": "dog"
                     *         }
                     *       ],
                     *       "createdAt": "2026-12-05T13:36:04.123456Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Prediction"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            413: components["responses"]["Error413"];
            415: components["responses"]["Error415"];
            422: components["responses"]["Error422"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
    getPrediction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "id": "0b6f3a52-8c1d-4e7a-9f20-5d3c4b2a1e09",
                     *       "breed": "Beagle",
                     *       "confidence": 0.8823109865188599,
                     *       "imageSha256": "e62a947726d309e2d042c441ec3265644f0f124bc9a4cd84363d592a8a49a7cc",
                     *       "modelVersion": "sha256-277609e6c6e610d8",
                     *       "source": "model",
                     *       "topK": [
                     *         {
                     *           "breed": "Beagle",
                     *           "confidence": 0.8823109865188599,
                     *           "species": "dog"
                     *         },
                     *         {
                     *           "breed": "American Bulldog",
                     *           "confidence": 0.10235801339149475,
                     *           "species": "dog"
                     *         },
                     *         {
                     *           "breed": "German Shorthaired",
                     *           "confidence": 0.012313518673181534,
                     *           "species": "dog"
                     *         }
                     *       ],
                     *       "createdAt": "2026-12-05T13:36:04.123456Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Prediction"];
                };
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
    deletePrediction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description No Content */
            204: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["Error400"];
            401: components["responses"]["Error401"];
            404: components["responses"]["Error404"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
    modelInfo: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "name": "pets-mobilenet-v1",
                     *       "version": "sha256-277609e6c6e610d8",
                     *       "format": "layers",
                     *       "labelsCount": 37,
                     *       "labels": [
                     *         "Abyssinian",
                     *         "Bengal",
                     *         "Birman",
                     *         "Bombay",
                     *         "British Shorthair",
                     *         "Egyptian Mau",
                     *         "Maine Coon",
                     *         "Persian",
                     *         "Ragdoll",
                     *         "Russian Blue",
                     *         "Siamese",
                     *         "Sphynx",
                     *         "American Bulldog",
                     *         "American Pit Bull Terrier",
                     *         "Basset Hound",
                     *         "Beagle",
                     *         "Boxer",
                     *         "Chihuahua",
                     *         "English Cocker Spaniel",
                     *         "English Setter",
                     *         "German Shorthaired",
                     *         "Great Pyrenees",
                     *         "Havanese",
                     *         "Japanese Chin",
                     *         "Keeshond",
                     *         "Leonberger",
                     *         "Miniature Pinscher",
                     *         "Newfoundland",
                     *         "Pomeranian",
                     *         "Pug",
                     *         "Saint Bernard",
                     *         "Samoyed",
                     *         "Scottish Terrier",
                     *         "Shiba Inu",
                     *         "Staffordshire Bull Terrier",
                     *         "Wheaten Terrier",
                     *         "Yorkshire Terrier"
                     *       ],
                     *       "inputSize": [
                     *         224,
                     *         224
                     *       ],
                     *       "preprocessing": {
                     *         "resize": "center-crop",
                     *         "scale": 2,
                     *         "offset": -1
                     *       },
                     *       "untrained": false,
                     *       "backend": "wasm",
                     *       "workers": 2
                     *     }
                     */
                    "application/json": components["schemas"]["ModelResponse"];
                };
            };
            400: components["responses"]["Error400"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ok"
                     *     }
                     */
                    "application/json": components["schemas"]["HealthResponse"];
                };
            };
            400: components["responses"]["Error400"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            default: components["responses"]["OtherError"];
        };
    };
    ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    "X-Request-Id": components["headers"]["X-Request-Id"];
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "status": "ready",
                     *       "model": "pets-mobilenet-v1@sha256-277609e6c6e610d8"
                     *     }
                     */
                    "application/json": components["schemas"]["ReadyResponse"];
                };
            };
            400: components["responses"]["Error400"];
            405: components["responses"]["Error405"];
            408: components["responses"]["Error408"];
            431: components["responses"]["Error431"];
            500: components["responses"]["Error500"];
            503: components["responses"]["Error503"];
            default: components["responses"]["OtherError"];
        };
    };
}
