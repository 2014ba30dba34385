-- Areas the host names for the community ("Tri-County"): a centre and how
-- far the area reaches. A post whose region names one works in it (see
-- match.Reach); searches may look near one.
CREATE TABLE areas (
    name       TEXT PRIMARY KEY COLLATE NOCASE CHECK (length(name) BETWEEN 2 AND 80),
    centre     TEXT NOT NULL, -- the place the host named as its centre
    lat        REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon        REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
    radius_km  REAL NOT NULL CHECK (radius_km > 0 AND radius_km <= 1000),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
