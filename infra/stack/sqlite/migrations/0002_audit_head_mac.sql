-- The audit head's signature: HMAC under the audit key (which the
-- database never holds) over (application, audit_seq, audit_hash). Heads
-- written before it have none; their trails were chained without a key
-- and do not verify under one, so such applications report their trail as
-- edited and take no further events (the store refuses to chain after an
-- unsigned head).
ALTER TABLE applications ADD COLUMN audit_mac TEXT NOT NULL DEFAULT '';
