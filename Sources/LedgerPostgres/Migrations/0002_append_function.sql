-- The append as one call, version 2. Shipped migrations are never edited: a change is a new file.
--
-- clash_append places a group of batches after the head inside the database, so that the head
-- row's lock is held only while the call runs and commits — never across a round trip to the
-- writer. The writer sends each record's canonical bytes in three parts, around the two numbers
-- only the head decides: the sequence and the stream version; the streams the call writes or
-- expects, once each, with the version each must be at (-1: any); and for each record its
-- stream's place in that list and its rank among the call's records of that stream. The call locks
-- the head, reads each stream's version, checks the expected ones, numbers the records, joins
-- their bytes, chains each batch (SHA-256 of the chain value before it and the batch's lines, as
-- the file log does), moves the head and notifies followers. It returns the head it found. An
-- expectation that does not hold raises SQLSTATE CL001 and writes nothing; an event id already written raises the unique violation
-- 23505 and writes nothing: the writer then makes the same appends under the head's lock with
-- every check of its own, and answers each append alone.
CREATE FUNCTION clash_append(
    p_ids text[], p_stream_of int4[], p_rank int4[], p_types text[],
    p_heads bytea[], p_middles bytea[], p_tails bytea[],
    p_batch_ends int4[], p_streams text[], p_expect_versions int8[], p_channel text
) RETURNS int8
LANGUAGE plpgsql
SET search_path FROM CURRENT
-- Planned once per session, not on every call.
SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
    head_seq int8;
    head_chain bytea;
    first_index int4 := 1;
    last_index int4 := 0;
    batch_bytes bytea;
    records bytea[];
    bases int8[];
BEGIN
    SELECT seq, chain INTO head_seq, head_chain FROM log_head WHERE id = 1 FOR UPDATE;
    SELECT array_agg(coalesce((SELECT max(e.stream_version) FROM log_events e WHERE e.stream = s.stream), 0) ORDER BY s.n) INTO bases
    FROM unnest(p_streams) WITH ORDINALITY AS s(stream, n);
    IF EXISTS (SELECT 1 FROM unnest(p_expect_versions) WITH ORDINALITY AS x(version, n) WHERE x.version >= 0 AND x.version <> bases[x.n]) THEN
        RAISE EXCEPTION 'an expected stream version does not hold' USING ERRCODE = 'CL001';
    END IF;
    WITH written AS (
        INSERT INTO log_events (seq, id, stream, stream_version, type, record)
        SELECT head_seq + t.ord, t.event_id, p_streams[t.stream_of], bases[t.stream_of] + t.rank, t.event_type,
               t.record_head || convert_to((head_seq + t.ord)::text, 'UTF8') || t.record_middle
                 || convert_to((bases[t.stream_of] + t.rank)::text, 'UTF8') || t.record_tail
        FROM unnest(p_ids, p_stream_of, p_rank, p_types, p_heads, p_middles, p_tails)
            WITH ORDINALITY AS t(event_id, stream_of, rank, event_type, record_head, record_middle, record_tail, ord)
        RETURNING seq, record
    )
    SELECT array_agg(record ORDER BY seq) INTO records FROM written;
    FOREACH last_index IN ARRAY p_batch_ends LOOP
        SELECT string_agg(line || '\x0a'::bytea, ''::bytea ORDER BY n) INTO batch_bytes
        FROM unnest(records[first_index:last_index]) WITH ORDINALITY AS l(line, n);
        head_chain := sha256(head_chain || batch_bytes);
        INSERT INTO log_batches (last_seq, first_seq, chain) VALUES (head_seq + last_index, head_seq + first_index, head_chain);
        first_index := last_index + 1;
    END LOOP;
    UPDATE log_head SET seq = head_seq + last_index, chain = head_chain WHERE id = 1;
    PERFORM pg_notify(p_channel, (head_seq + last_index)::text);
    RETURN head_seq;
END
$$;
