-- A post's matches leave out the pairs introduced before: looking them up
-- by either side of the pair needs an index on each side (post_a leads
-- suggestions_pair). Without this one, every match request scanned every
-- suggestion of every round.
CREATE INDEX suggestions_post_b ON suggestions (post_b);
