-- A write that reaches the database after its deadline is rolled back by the database itself:
-- called last in a statement (after its inserts), it raises query_canceled once the deadline
-- has passed, so a client that has already given up (answered 503) can never see the write
-- commit later, e.g. after the server was frozen with the statement in its socket buffer.
CREATE FUNCTION "hookline_before_deadline"(deadline timestamptz, result bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  IF clock_timestamp() > deadline THEN
    RAISE EXCEPTION USING ERRCODE = 'query_canceled',
      MESSAGE = 'write deadline passed: rolled back, nothing was written';
  END IF;
  RETURN result;
END
$$;
