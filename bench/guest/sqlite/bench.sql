-- bench.sql: bench/run's SQLite workload, run by the sqlite3 shell on a
-- fresh database file in /tmp: 100,000 rows inserted in one transaction,
-- an index built, then aggregates, index lookups, a join and an update.
-- Every value is computed from the row number, so every run (and every
-- emulator) prints the same results.
PRAGMA cache_size = -16384;

CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, region INTEGER NOT NULL);
CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    customer INTEGER NOT NULL,
    item TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    price REAL NOT NULL
);

BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
INSERT INTO customers SELECT i, 'customer-' || i, i % 17 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
INSERT INTO orders
SELECT i, (i * 7919) % 1000 + 1, 'item-' || printf('%05d', (i * 104729) % 5000),
       (i * 31) % 9 + 1, ((i * 2654435761) % 100000) / 100.0
FROM n;
COMMIT;

CREATE INDEX orders_customer ON orders (customer);
CREATE INDEX orders_item ON orders (item);

SELECT 'orders', count(*), sum(quantity), printf('%.2f', sum(quantity * price)) FROM orders;
SELECT 'top regions', group_concat(region || ':' || total, ' ')
FROM (SELECT c.region, sum(o.quantity) AS total FROM orders o JOIN customers c ON c.id = o.customer
      GROUP BY c.region ORDER BY total DESC LIMIT 5);
SELECT 'items', count(DISTINCT item), max(n), min(n)
FROM (SELECT item, count(*) AS n FROM orders GROUP BY item);
-- Index lookups: 2,000 items and 500 customers looked up one by one.
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 2000)
SELECT 'item lookups', sum((SELECT count(*) FROM orders WHERE item = 'item-' || printf('%05d', (i * 37) % 5000)))
FROM k;
WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 500)
SELECT 'customer lookups', printf('%.2f', sum((SELECT sum(price) FROM orders WHERE customer = (i * 13) % 1000 + 1)))
FROM k;
BEGIN;
UPDATE orders SET quantity = quantity + 1 WHERE customer % 10 = 3;
DELETE FROM orders WHERE id % 100 = 0;
COMMIT;
SELECT 'after update', count(*), sum(quantity) FROM orders;
