// The database domain: SQLite (better-sqlite3, in memory) with the bookstore data, serving net_sql's
// query rpc: `which` picks a prepared SELECT, `param` its one parameter (an item id, or a subject's
// index), the rows come back as JSON. args: [name = "net-sql"].
import { NetSql } from "@shoal/libshoal/interfaces/net_sql";
import Database from "better-sqlite3";
import { populate, QUERIES, SUBJECTS } from "./schema.mjs";

/** Answer one query against `statements` (status 0 ok, 1 unknown query, 2 bad parameter). */
export function answer(statements, which, param) {
  const st = statements[which];
  if (st === undefined) return { status: 1, rows: "[]" };
  const p = which === 0 ? Number(param) : SUBJECTS[Number(param)];
  if (p === undefined) return { status: 2, rows: "[]" };
  return { status: 0, rows: JSON.stringify(st.all(p)) };
}

/** An in-memory database with the data and its prepared statements. */
export function openDatabase() {
  const db = new Database(":memory:");
  const counts = populate(db);
  return { db, counts, statements: QUERIES.map((q) => db.prepare(q)) };
}

export default async function main(self, args) {
  const name = args[0] ?? "net-sql";
  const { counts, statements } = openDatabase();
  const iref = await self.export(NetSql, {
    rpc: { query: (which, param) => answer(statements, which, param) },
  });
  await self.names.register(name, iref);
  self.log(`sql: ${JSON.stringify(counts)} rows, serving '${name}' on core ${self.core}`);
  return new Promise(() => {});
}
