// HTML on standard input -> Markdown on standard output, by turndown (npm) at its defaults (headings underlined,
// "*" bullets, fenced code off), with scripts, styles and templates removed first, as clippers configure it.
// Used by bench/dump_styles.py (style "turndown"); needs `npm install turndown` and NODE_PATH at its node_modules.
const TurndownService = require("turndown");

let html = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { html += chunk; });
process.stdin.on("end", () => {
  const service = new TurndownService();
  service.remove(["script", "style", "noscript", "template"]);
  process.stdout.write(service.turndown(html));
});
