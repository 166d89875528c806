-- The shared address pool (FreeRADIUS sqlippool, SQLite). One row per
-- address; a row is free when expiry_time has passed.
-- Write-ahead logging (kept in the file): readers do not wait for the
-- writer, and each lease update costs one append instead of a journal copy.
PRAGMA journal_mode = WAL;
CREATE TABLE radippool (
  id               INTEGER PRIMARY KEY,
  pool_name        VARCHAR(30) NOT NULL,
  framedipaddress  VARCHAR(15) NOT NULL DEFAULT '',
  nasipaddress     VARCHAR(15) NOT NULL DEFAULT '',
  calledstationid  VARCHAR(30) NOT NULL DEFAULT '',
  callingstationid VARCHAR(30) NOT NULL DEFAULT '',
  expiry_time      DATETIME NOT NULL DEFAULT (DATETIME('now', '-1 second')),
  username         VARCHAR(64) NOT NULL DEFAULT '',
  pool_key         VARCHAR(30) NOT NULL DEFAULT ''
);
CREATE INDEX radippool_poolname_expire ON radippool(pool_name, expiry_time);
CREATE INDEX radippool_framedipaddress ON radippool(framedipaddress);
CREATE INDEX radippool_nasip_poolkey_ipaddress ON radippool(nasipaddress, pool_key, framedipaddress);
