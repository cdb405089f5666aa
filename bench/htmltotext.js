// HTML on standard input -> plain text on standard output, by html-to-text (npm) at its defaults: wrapped at 80
// columns, headings upper-cased, a link's address in brackets after its text ("Home [https://…]"), an image as its
// address in brackets. Used by bench/dump_styles.py (style "htmltotext"); needs `npm install html-to-text` and
// NODE_PATH at its node_modules.
const { convert } = require("html-to-text");

let html = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { html += chunk; });
process.stdin.on("end", () => { process.stdout.write(convert(html)); });
