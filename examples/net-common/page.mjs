// The workloads' static page: 4.1 kB of HTML (the paper's §5.4 web server serves a 4.1 kB page), and
// the plain request handler both the shoal stack and plain Node http run in the benchmarks.

/** The page, exactly 4100 bytes. */
export const PAGE = (() => {
  const head = "<!doctype html><html><head><title>shoal</title></head><body><h1>shoal</h1>\n";
  const tail = "</body></html>\n";
  let body = "";
  for (let i = 0; head.length + body.length + tail.length < 4100; i++) {
    body += `<p>Line ${i} of the static page served by a shoal stack.</p>\n`;
  }
  const text = head + body + tail;
  const trimmed = text.length > 4100 ? head + body.slice(0, 4100 - head.length - tail.length) + tail : text;
  return Buffer.from(trimmed);
})();

/** A Node http request handler: the page at / and /index.html, 404 elsewhere. */
export function staticHandler(req, res) {
  if (req.url === "/" || req.url === "/index.html") {
    res.writeHead(200, { "content-type": "text/html", "content-length": PAGE.length });
    res.end(PAGE);
  } else {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  }
}
