// The SQL workload's data: a TPC-W-like bookstore (authors, items, orders and their lines), generated
// from a seed, and the SELECTs the web pages ask for. Used by the database domain and by the plain-Node
// baseline, so both answer the same queries over the same data.

/** Subjects of items (TPC-W's list, shortened). */
export const SUBJECTS = [
  "ARTS",
  "BIOGRAPHIES",
  "BUSINESS",
  "CHILDREN",
  "COMPUTERS",
  "COOKING",
  "HISTORY",
  "SCIENCE",
];

/** The prepared SELECTs, by number (net_sql's `which`). */
export const QUERIES = [
  // 0: product detail (TPC-W "product detail"): one item and its author.
  `SELECT i.i_id, i.i_title, i.i_cost, i.i_pub_date, a.a_fname, a.a_lname
     FROM item i JOIN author a ON a.a_id = i.i_a_id WHERE i.i_id = ?`,
  // 1: new products in a subject (TPC-W "new products"): the 20 latest.
  `SELECT i.i_id, i.i_title, a.a_fname, a.a_lname FROM item i JOIN author a ON a.a_id = i.i_a_id
     WHERE i.i_subject = ? ORDER BY i.i_pub_date DESC, i.i_id LIMIT 20`,
  // 2: best sellers in a subject (TPC-W "best sellers"): the 20 most ordered among the last 1000 orders.
  `SELECT i.i_id, i.i_title, SUM(ol.ol_qty) AS qty FROM order_line ol JOIN item i ON i.i_id = ol.ol_i_id
     WHERE ol.ol_o_id > (SELECT MAX(o_id) - 1000 FROM orders) AND i.i_subject = ?
     GROUP BY i.i_id ORDER BY qty DESC, i.i_id LIMIT 20`,
];

/** A small seeded generator (xorshift32), so every run builds the same data. */
function rng(seed) {
  let x = seed >>> 0 || 1;
  return (n) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
}

/** Create the tables in `db` (a better-sqlite3 Database) and fill them; returns the row counts. */
export function populate(db, { items = 10_000, authors = 1_000, orders = 5_000, seed = 15 } = {}) {
  const r = rng(seed);
  db.exec(`
    CREATE TABLE author (a_id INTEGER PRIMARY KEY, a_fname TEXT, a_lname TEXT);
    CREATE TABLE item (i_id INTEGER PRIMARY KEY, i_title TEXT, i_a_id INTEGER, i_subject TEXT,
                       i_cost REAL, i_pub_date INTEGER);
    CREATE TABLE orders (o_id INTEGER PRIMARY KEY, o_date INTEGER);
    CREATE TABLE order_line (ol_o_id INTEGER, ol_i_id INTEGER, ol_qty INTEGER);
    CREATE INDEX item_subject ON item (i_subject, i_pub_date);
    CREATE INDEX ol_order ON order_line (ol_o_id);
  `);
  const syll = ["ba", "ko", "ri", "ne", "sha", "lo", "mu", "te", "vi", "da"];
  const word = (n) => Array.from({ length: n }, () => syll[r(syll.length)]).join("");
  let lines = 0;
  db.transaction(() => {
    const a = db.prepare("INSERT INTO author VALUES (?, ?, ?)");
    for (let i = 1; i <= authors; i++) a.run(i, word(2), word(3));
    const it = db.prepare("INSERT INTO item VALUES (?, ?, ?, ?, ?, ?)");
    for (let i = 1; i <= items; i++) {
      it.run(
        i,
        `${word(3)} ${word(2)}`,
        1 + r(authors),
        SUBJECTS[r(SUBJECTS.length)],
        1 + r(9999) / 100,
        r(3650),
      );
    }
    const o = db.prepare("INSERT INTO orders VALUES (?, ?)");
    const ol = db.prepare("INSERT INTO order_line VALUES (?, ?, ?)");
    for (let i = 1; i <= orders; i++) {
      o.run(i, r(365));
      for (let k = 1 + r(4); k > 0; k--, lines++) ol.run(i, 1 + r(items), 1 + r(5));
    }
  })();
  return { items, authors, orders, lines };
}
