// HTML on standard input -> Markdown on standard output, by node-html-markdown (npm) at its defaults: ATX headings,
// inline links "[text](url)", images "![alt](src)", lines not wrapped, scripts and styles dropped. Used by
// bench/dump_styles.py (style "nodehtmlmarkdown"); needs `npm install node-html-markdown` and NODE_PATH at its
// node_modules.
const { NodeHtmlMarkdown } = require("node-html-markdown");

let html = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { html += chunk; });
process.stdin.on("end", () => { process.stdout.write(NodeHtmlMarkdown.translate(html)); });
