-- Records written after a given audit entry: how an instance's linkage
-- index catches up with what other instances on the same database stored.
CREATE INDEX records_audit_seq ON records (audit_seq);
