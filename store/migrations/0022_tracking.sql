-- A referral partner's tracking link: /r/{code} sends a visitor to the
-- seller's landing page with mm_ref={code} and counts the click. One link
-- per referring side of a partnership.
CREATE TABLE tracking_links (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    partnership_id   INTEGER NOT NULL REFERENCES partnerships (id),
    referrer         TEXT NOT NULL CHECK (referrer IN ('a', 'b')),
    landing_url      TEXT NOT NULL,
    attribution_days INTEGER NOT NULL CHECK (attribution_days BETWEEN 1 AND 365),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    UNIQUE (partnership_id, referrer)
);

-- Clicks, once a day per visitor. visitor is a hash of the address and
-- browser with the day's salt (settings click_salt:<day>), which is
-- deleted once the day is over: it counts a visitor once a day and names
-- nobody, not even to whoever holds the database.
CREATE TABLE link_clicks (
    link_id INTEGER NOT NULL REFERENCES tracking_links (id),
    day     TEXT NOT NULL, -- YYYY-MM-DD, UTC
    visitor TEXT NOT NULL,
    PRIMARY KEY (link_id, day, visitor)
) WITHOUT ROWID;

-- Conversions a seller reports by the API: each is a referral of the
-- partnership, by its external ID (the seller's order or sign-up), once:
-- the same ID sent again changes nothing.
CREATE TABLE conversions (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    link_id        INTEGER REFERENCES tracking_links (id),
    external_id    TEXT NOT NULL,
    referral_id    INTEGER NOT NULL REFERENCES referrals (id),
    status         TEXT NOT NULL CHECK (status IN ('lead', 'won', 'refunded')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (partnership_id, external_id)
);
CREATE INDEX conversions_link ON conversions (link_id);
