// The SQL pages: /sql/item?id=N, /sql/new?subject=K, /sql/best?subject=K render one query's rows as an
// HTML table. `sqlPages(query)` takes how to query (the database domain over urpc, or a database in
// this process for the plain-Node baseline); `sqlHandler(self, name)` binds to the database domain.
import { NetSql } from "@shoal/libshoal/interfaces/net_sql";
import { staticHandler } from "../net-common/page.mjs";

const ROUTES = { "/sql/item": [0, "id"], "/sql/new": [1, "subject"], "/sql/best": [2, "subject"] };

const escapeHtml = (v) => String(v).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A Node http handler answering the SQL pages with `query(which, param) -> {status, rows}`. */
export function sqlPages(query) {
  return (req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const route = ROUTES[url.pathname];
    if (route === undefined) return staticHandler(req, res);
    const param = Number(url.searchParams.get(route[1]) ?? "0");
    Promise.resolve(query(route[0], Number.isInteger(param) ? BigInt(param) : 0n)).then(
      ({ status, rows }) => {
        if (status !== 0) {
          res.writeHead(400, { "content-type": "text/plain" });
          res.end(`query failed (${status})\n`);
          return;
        }
        const list = JSON.parse(rows);
        const cols = list.length > 0 ? Object.keys(list[0]) : [];
        const body =
          `<!doctype html><html><body><table><tr>${cols.map((c) => `<th>${c}</th>`).join("")}</tr>\n` +
          list.map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(r[c])}</td>`).join("")}</tr>\n`).join("") +
          "</table></body></html>\n";
        res.writeHead(200, { "content-type": "text/html", "content-length": Buffer.byteLength(body) });
        res.end(body);
      },
      (e) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`${e}\n`);
      },
    );
  };
}

/** The SQL pages over the database domain registered as `name`. */
export async function sqlHandler(self, name) {
  const iref = await self.names.lookup(name, { timeoutMs: 20_000 });
  const sql = await self.bind(NetSql, iref);
  return sqlPages((which, param) => sql.rpc.query(which, param));
}
