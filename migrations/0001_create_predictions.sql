-- The user's prediction history. Ids come from the application (crypto.randomUUID) so that every
-- store adapter, including the RDS Data API one, behaves alike and a retried insert can carry its id.
-- Constraints are named so later expand/contract migrations can refer to them.
CREATE TABLE predictions (
  id uuid PRIMARY KEY,
  -- The JWT `sub` claim; Cognito and most IdPs stay well under 255 characters.
  user_id text NOT NULL CONSTRAINT predictions_user_id_length CHECK (length(user_id) BETWEEN 1 AND 255),
  -- text rather than char(64): char pads and compares with blank-trimming semantics.
  image_sha256 text NOT NULL CONSTRAINT predictions_image_sha256_hex CHECK (image_sha256 ~ '^[0-9a-f]{64}$'),
  model_version text NOT NULL,
  breed text NOT NULL,
  confidence double precision NOT NULL
    CONSTRAINT predictions_confidence_range CHECK (confidence >= 0 AND confidence <= 1),
  top_k jsonb NULL CONSTRAINT predictions_top_k_array CHECK (top_k IS NULL OR jsonb_typeof(top_k) = 'array'),
  source text NOT NULL CONSTRAINT predictions_source_known CHECK (source IN ('model', 'user-corrected')),
  idempotency_key text NULL
    CONSTRAINT predictions_idempotency_key_length CHECK (length(idempotency_key) BETWEEN 1 AND 255),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- NULL keys are distinct, so saves without an Idempotency-Key never collide.
  CONSTRAINT predictions_user_idempotency_key UNIQUE (user_id, idempotency_key)
);

-- Serves the history list and its keyset cursor: WHERE user_id = ? AND (created_at, id) < (?, ?)
-- ORDER BY created_at DESC, id DESC.
CREATE INDEX predictions_user_created_idx ON predictions (user_id, created_at DESC, id DESC);
